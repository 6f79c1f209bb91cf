import { SeededRng } from '@contrastive/framework';

/** Indices grouped by label, each group in ascending index order; keys in ascending label order. */
export function indicesByClass(labels: Int32Array): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const g = groups.get(label);
    if (g) g.push(i);
    else groups.set(label, [i]);
  });
  return new Map([...groups.entries()].sort((a, b) => a[0] - b[0]));
}

/** Fisher-Yates shuffle of a copy of `items`, driven by `rng`. */
export function shuffled<T>(items: readonly T[], rng: SeededRng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Splits example indices into a fitting part and a held-out part for early stopping,
 * stratified by class: each class with at least two examples gives
 * max(1, round(fraction · size)) of its examples (chosen by a seeded shuffle) to the held-out
 * part, and always keeps at least one for fitting. Both parts come back sorted.
 *
 * @param labels label of every example
 * @param fraction share of each class to hold out, in [0, 1); 0 holds out nothing
 */
export function stratifiedHoldout(labels: Int32Array, fraction: number, seed: number): { fit: number[]; holdout: number[] } {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`stratifiedHoldout: fraction must be in [0, 1), got ${fraction}`);
  const rng = new SeededRng(seed);
  const fit: number[] = [];
  const holdout: number[] = [];
  for (const group of indicesByClass(labels).values()) {
    const order = shuffled(group, rng);
    const take = fraction === 0 || order.length < 2 ? 0 : Math.min(order.length - 1, Math.max(1, Math.round(fraction * order.length)));
    holdout.push(...order.slice(0, take));
    fit.push(...order.slice(take));
  }
  return { fit: fit.sort((a, b) => a - b), holdout: holdout.sort((a, b) => a - b) };
}
