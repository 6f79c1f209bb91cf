import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../contracts';
import { UserInputError } from '../registry/errors';
import { useTestBackend } from '../test-helpers/use-test-backend';
import { SeededRng } from '../util/rng';
import { BatchIterator, batchesPerEpoch } from './batch-iterator';

/** 103 examples of shape [2, 1, 1]; example i has pixels [i / 1000, 0.5] and label i % 7. */
function indexDataset(count = 103): ImageDataset {
  const images = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) images.set([i / 1000, 0.5], 2 * i);
  return {
    name: 'index', split: 'train', shape: [2, 1, 1], count, images,
    labels: Int32Array.from({ length: count }, (_, i) => i % 7), numClasses: 7,
  };
}

/** Dataset indices of the next batch, read back from the tensor's pixels. */
function take(it: BatchIterator): number[] {
  const x = it.next();
  expect(x.shape).toEqual([10, 2, 1, 1]);
  const values = x.dataSync();
  x.dispose();
  return Array.from({ length: 10 }, (_, i) => Math.round(values[2 * i] * 1000));
}

beforeAll(useTestBackend);

describe('BatchIterator', () => {
  it('covers every example at most once per epoch, dropping the last incomplete batch', () => {
    const it = new BatchIterator(indexDataset(), 10, new SeededRng(1));
    expect(it.batchesPerEpoch).toBe(10);
    expect(batchesPerEpoch(indexDataset(), 10)).toBe(10);
    expect(batchesPerEpoch(100, 10)).toBe(10);
    const epochs: number[][] = [];
    for (let e = 0; e < 3; e++) {
      const seen = Array.from({ length: 10 }, () => take(it)).flat();
      expect(it.epoch).toBe(e);
      expect(new Set(seen).size).toBe(100);
      seen.forEach((i) => expect(i).toBeLessThan(103));
      epochs.push(seen);
    }
    expect(epochs[1]).not.toEqual(epochs[0]);
    // With 100 of 103 used per epoch, over three epochs every example shows up.
    expect(new Set(epochs.flat()).size).toBe(103);
  });

  it('covers every example exactly once when the batch size divides the count', () => {
    const it = new BatchIterator(indexDataset(100), 10, new SeededRng(9));
    const seen = [...it.epochBatches()].flatMap((x) => {
      const v = x.dataSync();
      x.dispose();
      return Array.from({ length: 10 }, (_, i) => Math.round(v[2 * i] * 1000));
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...it.epochBatches()].map((x) => x.dispose())).toHaveLength(10); // the next epoch
  });

  it('is reproducible from the rng seed and shuffles differently for another seed', () => {
    const run = (seed: number) => {
      const it = new BatchIterator(indexDataset(), 10, new SeededRng(seed));
      return Array.from({ length: 25 }, () => take(it));
    };
    expect(run(5)).toEqual(run(5));
    expect(run(6)).not.toEqual(run(5));
  });

  it('resumes exactly from getState(), also across an epoch boundary and JSON', () => {
    const original = new BatchIterator(indexDataset(), 10, new SeededRng(3));
    for (let i = 0; i < 13; i++) take(original);
    const saved = JSON.parse(JSON.stringify(original.getState()));
    expect(saved).toMatchObject({ epoch: 1, position: 3 });
    const expected = Array.from({ length: 20 }, () => take(original));
    const resumed = new BatchIterator(indexDataset(), 10, new SeededRng(999));
    resumed.setState(saved);
    expect(resumed.epoch).toBe(1);
    expect(Array.from({ length: 20 }, () => take(resumed))).toEqual(expected);
    expect(() => resumed.setState({ epoch: 0, position: 11, seed: 1 })).toThrow(/invalid BatchIterator state/);
    expect(() => resumed.setState('nonsense')).toThrow(/invalid BatchIterator state/);
  });

  it('returns the labels and indices of each batch, and leaks nothing but the batch', () => {
    const it = new BatchIterator(indexDataset(), 10, new SeededRng(2));
    const before = tf.memory().numTensors;
    const batch = it.nextBatch();
    expect(tf.memory().numTensors).toBe(before + 1);
    const pixels = batch.images.dataSync();
    batch.indices.forEach((idx, i) => {
      expect(Math.round(pixels[2 * i] * 1000)).toBe(idx);
      expect(batch.labels[i]).toBe(idx % 7);
    });
    batch.images.dispose();
  });

  it('rejects a batch size larger than the data set', () => {
    expect(() => new BatchIterator(indexDataset(), 104, new SeededRng(1))).toThrow(UserInputError);
    expect(() => new BatchIterator(indexDataset(), 0, new SeededRng(1))).toThrow(UserInputError);
  });
});
