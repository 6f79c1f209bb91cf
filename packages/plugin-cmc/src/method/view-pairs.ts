import { UserInputError } from '@contrastive/framework';

/** How CMC pairs three or more views (arXiv:1906.05849, §3.4, Fig. 2). */
export type CmcPairing = 'core' | 'full-graph';

/**
 * The view pairs (i, j) CMC contrasts, each in both directions:
 * - `core`: every other view against the core view, (core, v) for v ≠ core, in view order:
 *   M − 1 pairs ("core view" paradigm, L_C = Σ_{j≠1} L(V_1, V_j));
 * - `full-graph`: every unordered pair (v_i, v_j), i < j, in view order: M(M − 1)/2 pairs
 *   (L_F = Σ_{i<j} L(V_i, V_j)).
 * With two views both give the one pair.
 *
 * @param names the view names in config order
 * @param core the core view (default the first); used by `core` only
 * @example
 * ```ts
 * viewPairs(['L', 'ab', 'depth'], 'core', 'L');  // [['L', 'ab'], ['L', 'depth']]
 * viewPairs(['L', 'ab', 'depth'], 'full-graph'); // [['L', 'ab'], ['L', 'depth'], ['ab', 'depth']]
 * ```
 */
export function viewPairs(names: readonly string[], pairing: CmcPairing, core: string = names[0]): [string, string][] {
  if (new Set(names).size !== names.length) throw new UserInputError(`view names must be unique, got ${names.join(', ')}`);
  if (names.length < 2) throw new UserInputError(`CMC needs at least two views, got ${names.length}`);
  if (pairing === 'core') {
    if (!names.includes(core)) throw new UserInputError(`core view "${core}" is not one of the views ${names.join(', ')}`);
    return names.filter((n) => n !== core).map((n) => [core, n]);
  }
  const pairs: [string, string][] = [];
  names.forEach((a, i) => names.slice(i + 1).forEach((b) => pairs.push([a, b])));
  return pairs;
}
