import * as tf from '@tensorflow/tfjs';
import { datasetSlice, datasetValues, exampleSize, type Batch, type Dataset } from '@contrastive/framework';

/**
 * Applies `represent` to every example (image or sequence) of a data set in batches, without a gradient tape,
 * and stacks the results. Each batch's intermediates are freed as soon as it is done.
 *
 * @param represent [B, H, W, C] (or [B, T, D] for a sequence data set) -> [B, D]
 * @param batchSize examples per forward pass
 * @returns [N, D]
 */
export function extractFeatures(data: Dataset, represent: (x: Batch) => tf.Tensor2D, batchSize = 512): tf.Tensor2D {
  const parts: tf.Tensor2D[] = [];
  try {
    for (let i = 0; i < data.count; i += batchSize) {
      const n = Math.min(batchSize, data.count - i);
      parts.push(tf.tidy(() => represent(datasetSlice(data, i, n))));
    }
    if (parts.length === 0) throw new Error(`extractFeatures: the ${data.split} split of ${data.name} is empty`);
    return parts.length === 1 ? parts[0].clone() : (tf.concat(parts, 0) as tf.Tensor2D);
  } finally {
    tf.dispose(parts);
  }
}

/**
 * The raw-input baseline's features: each example flattened, [N, H·W·C] for images (raw
 * pixels), [N, T·D] for sequences (the flattened sequence).
 */
export function pixelFeatures(data: Dataset): tf.Tensor2D {
  return tf.tensor2d(datasetValues(data), [data.count, exampleSize(data)]);
}
