import * as tf from '@tensorflow/tfjs';
import { BatchIterator } from '../batch-iterator';
import { SeededRng } from '../../util/rng';
import type { ImageDataset, SequenceDataset } from '../../contracts';
import { imageRowsOf } from './image-rows';
import { classFrequency, SyntheticSequenceSource, type SyntheticSequenceOptions } from './synthetic-sequence';

const options: SyntheticSequenceOptions = {
  batchSize: 8, seed: 3, numClasses: 4, steps: 32, dims: 5, trainCount: 40, testCount: 12, noise: 0.5, minFrequency: 0.1, maxFrequency: 0.4,
};

describe('synthetic-sequence', () => {
  it('has the configured shape, balanced labels, and is deterministic in its seed', async () => {
    const a = await new SyntheticSequenceSource(options).load('train');
    const b = await new SyntheticSequenceSource(options).load('train');
    const other = await new SyntheticSequenceSource({ ...options, seed: 4 }).load('train');
    expect(a.modality).toBe('sequence');
    expect(a.shape).toEqual([32, 5]);
    expect(a.values.length).toBe(40 * 32 * 5);
    expect(Array.from(a.labels.slice(0, 8))).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    expect(a.values).toEqual(b.values);
    expect(a.values).not.toEqual(other.values);
    const test = await new SyntheticSequenceSource(options).load('test');
    expect(test.count).toBe(12);
    expect(test.values.subarray(0, 160)).not.toEqual(a.values.subarray(0, 160));
  });

  it('without noise, every channel follows the class frequency: x_{t+1} + x_{t-1} = 2 cos(w_y) x_t', async () => {
    // x_t = M R^t s_0 with a 2-D rotation R by w_y, and R + R^-1 = 2 cos(w_y) I.
    const clean = await new SyntheticSequenceSource({ ...options, noise: 0 }).load('train');
    const { steps: T, dims: D } = options;
    for (let n = 0; n < 8; n++) {
      const w = classFrequency(options, clean.labels[n]);
      for (let t = 1; t < T - 1; t++) {
        for (let d = 0; d < D; d++) {
          const at = (s: number) => clean.values[(n * T + s) * D + d];
          expect(at(t + 1) + at(t - 1)).toBeCloseTo(2 * Math.cos(w) * at(t), 4);
        }
      }
    }
    expect(classFrequency(options, 0)).toBeCloseTo(0.1, 10);
    expect(classFrequency(options, 3)).toBeCloseTo(0.4, 10);
  });

  it('batches as [B, T, D] tensors through the framework BatchIterator', async () => {
    const data = await new SyntheticSequenceSource(options).load('train');
    const it = new BatchIterator(data, 8, new SeededRng(1));
    const batch = it.next();
    expect(batch.shape).toEqual([8, 32, 5]);
    batch.dispose();
  });
});

describe('image-rows', () => {
  const images: ImageDataset = {
    name: 'tiny', split: 'train', shape: [3, 2, 2], count: 4,
    images: Float32Array.from({ length: 48 }, (_, i) => i / 48), labels: Int32Array.from([0, 1, 0, 1]), numClasses: 2,
  };

  it('reads an [H, W, C] image as H steps of W*C values, unchanged', () => {
    const rows: SequenceDataset = imageRowsOf(images, 'tiny-rows');
    expect(rows.shape).toEqual([3, 4]);
    expect(rows.modality).toBe('sequence');
    const t = tf.tensor3d(rows.values, [4, 3, 4]);
    const x = tf.tensor4d(images.images, [4, 3, 2, 2]);
    // step t of sequence n is row t of image n
    expect(t.slice([1, 2, 0], [1, 1, 4]).dataSync()).toEqual(x.slice([1, 2, 0, 0], [1, 1, 2, 2]).dataSync());
    tf.dispose([t, x]);
  });

  it('limit keeps a class-balanced subset', () => {
    const rows = imageRowsOf(images, 'tiny-rows', 2);
    expect(rows.count).toBe(2);
    expect(Array.from(rows.labels)).toEqual([0, 1]);
  });
});
