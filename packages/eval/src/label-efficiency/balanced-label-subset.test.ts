import { balancedLabelSubset } from './balanced-label-subset';

/** 10 classes of 600 examples, interleaved like the packaged data sets' splits. */
const labels = Int32Array.from({ length: 6000 }, (_, i) => i % 10);
const perClass = (idx: number[], ls: Int32Array = labels) => {
  const counts = new Map<number, number>();
  idx.forEach((i) => counts.set(ls[i], (counts.get(ls[i]) ?? 0) + 1));
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
};

describe('balancedLabelSubset', () => {
  it('takes the same number of examples from every class', () => {
    expect(perClass(balancedLabelSubset(labels, 0.01, 0))).toEqual(Array(10).fill(6));
    expect(perClass(balancedLabelSubset(labels, 0.1, 0))).toEqual(Array(10).fill(60));
  });

  it('is reproducible by seed, differs between seeds, and nests 1% inside 10%', () => {
    const a = balancedLabelSubset(labels, 0.01, 42);
    expect(balancedLabelSubset(labels, 0.01, 42)).toEqual(a);
    expect(balancedLabelSubset(labels, 0.01, 43)).not.toEqual(a);
    const ten = new Set(balancedLabelSubset(labels, 0.1, 42));
    expect(a.every((i) => ten.has(i))).toBe(true);
  });

  it('returns sorted unique indices, everything at 100%, and at least one per class', () => {
    const s = balancedLabelSubset(labels, 0.1, 1);
    expect(s).toEqual([...new Set(s)].sort((x, y) => x - y));
    expect(balancedLabelSubset(labels, 1, 1)).toHaveLength(labels.length);
    expect(perClass(balancedLabelSubset(labels, 0.0001, 1))).toEqual(Array(10).fill(1));
  });

  it('caps the quota at the size of a small class', () => {
    const uneven = Int32Array.from([...Array(90).fill(0), ...Array(3).fill(1), ...Array(7).fill(2)]);
    // quota round(0.3 * 100 / 3) = 10: class 1 has only 3.
    expect(perClass(balancedLabelSubset(uneven, 0.3, 0), uneven)).toEqual([10, 3, 7]);
  });

  it('rejects a fraction outside (0, 1]', () => {
    expect(() => balancedLabelSubset(labels, 0, 0)).toThrow(/fraction must be in \(0, 1\]/);
    expect(() => balancedLabelSubset(labels, 1.5, 0)).toThrow(/fraction/);
  });
});
