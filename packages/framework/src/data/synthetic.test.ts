import type { ImageDataset } from '../contracts';
import { syntheticData, type SyntheticOptions } from './synthetic';

const defaults: SyntheticOptions = {
  batchSize: 32, seed: 0, numClasses: 10, height: 28, width: 28, channels: 1, trainCount: 2000, testCount: 500, noise: 0.1,
};
const load = (o: Partial<SyntheticOptions>, split: 'train' | 'test') =>
  syntheticData.create({ ...defaults, ...o }, {} as never).load(split) as Promise<ImageDataset>;

/** Accuracy on `test` of the nearest class mean (raw pixels) computed on `train`. */
function nearestMeanAccuracy(train: ImageDataset, test: ImageDataset): number {
  const size = train.images.length / train.count;
  const means = Array.from({ length: train.numClasses }, () => new Float64Array(size));
  const counts = new Array(train.numClasses).fill(0);
  for (let n = 0; n < train.count; n++) {
    counts[train.labels[n]]++;
    for (let i = 0; i < size; i++) means[train.labels[n]][i] += train.images[n * size + i];
  }
  means.forEach((m, k) => m.forEach((v, i) => (m[i] = v / counts[k])));
  let correct = 0;
  for (let n = 0; n < test.count; n++) {
    let best = -1;
    let bestDist = Infinity;
    means.forEach((m, k) => {
      let d = 0;
      for (let i = 0; i < size; i++) d += (test.images[n * size + i] - m[i]) ** 2;
      if (d < bestDist) [best, bestDist] = [k, d];
    });
    if (best === test.labels[n]) correct++;
  }
  return correct / test.count;
}

describe('synthetic data source', () => {
  it('has the configured sizes, balanced labels and values in [0, 1]', async () => {
    const train = await load({}, 'train');
    expect(train.count).toBe(2000);
    expect(train.shape).toEqual([28, 28, 1]);
    expect(train.images.length).toBe(2000 * 784);
    expect(train.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(train.images.some((v) => v > 0.5)).toBe(true);
    const counts = new Array(10).fill(0);
    train.labels.forEach((l) => counts[l]++);
    expect(counts).toEqual(new Array(10).fill(200));
    expect((await load({}, 'test')).count).toBe(500);
  });

  it('is deterministic by seed, and train differs from test', async () => {
    const small = { trainCount: 300, testCount: 300 };
    const bytes = (d: ImageDataset) => Buffer.from(d.images.buffer);
    const a = await load({ ...small, seed: 3 }, 'train');
    const b = await load({ ...small, seed: 3 }, 'train');
    const c = await load({ ...small, seed: 4 }, 'train');
    const t = await load({ ...small, seed: 3 }, 'test');
    expect(bytes(b).equals(bytes(a))).toBe(true);
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(bytes(c).equals(bytes(a))).toBe(false);
    expect(bytes(t).equals(bytes(a))).toBe(false);
  });

  it('has classes a nearest-class-mean classifier on raw pixels separates well above chance', async () => {
    const train = await load({}, 'train');
    const test = await load({}, 'test');
    const accuracy = nearestMeanAccuracy(train, test);
    console.log(`synthetic: nearest-class-mean test accuracy ${accuracy.toFixed(3)} (chance 0.1)`);
    expect(accuracy).toBeGreaterThan(0.5);
  });

  it('examples of a class are not identical (shift, amplitude and noise vary)', async () => {
    const d = await load({ noise: 0 }, 'train');
    const first = d.images.subarray(0, 784);
    const sameClass = d.images.subarray(10 * 784, 11 * 784); // labels cycle through 10 classes
    expect(d.labels[10]).toBe(d.labels[0]);
    expect(Array.from(sameClass)).not.toEqual(Array.from(first));
  });

  it('supports colour and other sizes', async () => {
    const d = await load({ channels: 3, height: 16, width: 20, numClasses: 4, trainCount: 40 }, 'train');
    expect(d.shape).toEqual([16, 20, 3]);
    expect(d.images.length).toBe(40 * 16 * 20 * 3);
    expect(d.numClasses).toBe(4);
    expect(d.classNames).toHaveLength(4);
  });
});
