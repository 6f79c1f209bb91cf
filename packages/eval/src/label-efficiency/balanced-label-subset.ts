import { SeededRng } from '@contrastive/framework';
import { indicesByClass, shuffled } from '../probe/stratified-split';

/**
 * The labelled examples of a label-efficiency run: `fraction` of the training set, class
 * balanced. Every class present gets the same quota, max(1, round(fraction · N / C)), capped
 * at the class's size (N examples, C classes), drawn by a seeded shuffle of that class.
 * The shuffle depends only on `seed` and the class, not on `fraction`, so with one seed the
 * 1% subset is contained in the 10% subset (each takes a prefix of the same order).
 *
 * @param labels label of every training example
 * @param fraction in (0, 1]; 1 returns every index
 * @returns example indices, ascending
 */
export function balancedLabelSubset(labels: Int32Array, fraction: number, seed: number): number[] {
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`balancedLabelSubset: fraction must be in (0, 1], got ${fraction}`);
  if (fraction === 1) return Array.from(labels, (_, i) => i);
  const groups = indicesByClass(labels);
  const quota = Math.max(1, Math.round((fraction * labels.length) / Math.max(1, groups.size)));
  const root = new SeededRng(seed);
  const picked: number[] = [];
  for (const [label, group] of groups) {
    // One generator per class, derived from (seed, label), so classes do not disturb each other.
    const rng = new SeededRng((root.seed() ^ Math.imul(label + 1, 0x9e3779b1)) >>> 0);
    picked.push(...shuffled(group, rng).slice(0, quota));
  }
  return picked.sort((a, b) => a - b);
}
