import * as tf from '@tensorflow/tfjs';
import type { Batch, SequenceDataset } from '@contrastive/framework';
import { extractFeatures, pixelFeatures } from './extract-features';

/** Evaluation on sequence data sets (framework API 1.3.0): batches [B, T, D], raw input flattened. */
describe('features of a sequence data set', () => {
  const data: SequenceDataset = {
    name: 'toy-seq', split: 'train', modality: 'sequence', shape: [3, 2], count: 5,
    values: Float32Array.from({ length: 30 }, (_, i) => i), labels: Int32Array.from([0, 1, 0, 1, 0]), numClasses: 2,
  };

  it('hands [B, T, D] batches to the representation and stacks the results in order', () => {
    const seen: number[][] = [];
    const f = extractFeatures(data, (x: Batch) => {
      seen.push(x.shape);
      return tf.sum(x, 1) as tf.Tensor2D; // [B, D]: each sequence's sum over time
    }, 2);
    expect(seen).toEqual([[2, 3, 2], [2, 3, 2], [1, 3, 2]]);
    expect(f.shape).toEqual([5, 2]);
    // sequence 4 holds 24..29: steps (24, 25), (26, 27), (28, 29)
    expect(Array.from(f.slice([4, 0], [1, 2]).dataSync())).toEqual([78, 81]);
    f.dispose();
  });

  it('the raw-input baseline is the flattened sequence [N, T*D]', () => {
    const raw = pixelFeatures(data);
    expect(raw.shape).toEqual([5, 6]);
    expect(Array.from(raw.slice([1, 0], [1, 6]).dataSync())).toEqual([6, 7, 8, 9, 10, 11]);
    raw.dispose();
  });
});
