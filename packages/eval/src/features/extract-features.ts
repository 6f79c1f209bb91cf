import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '@contrastive/framework';

/**
 * Applies `represent` to every image of a data set in batches, without a gradient tape,
 * and stacks the results. Each batch's intermediates are freed as soon as it is done.
 *
 * @param represent [B, H, W, C] -> [B, D]
 * @param batchSize images per forward pass
 * @returns [N, D]
 */
export function extractFeatures(data: ImageDataset, represent: (x: tf.Tensor4D) => tf.Tensor2D, batchSize = 512): tf.Tensor2D {
  const [h, w, c] = data.shape;
  const per = h * w * c;
  const parts: tf.Tensor2D[] = [];
  try {
    for (let i = 0; i < data.count; i += batchSize) {
      const n = Math.min(batchSize, data.count - i);
      parts.push(tf.tidy(() => represent(tf.tensor4d(data.images.subarray(i * per, (i + n) * per), [n, h, w, c]))));
    }
    if (parts.length === 0) throw new Error(`extractFeatures: the ${data.split} split of ${data.name} is empty`);
    return parts.length === 1 ? parts[0].clone() : (tf.concat(parts, 0) as tf.Tensor2D);
  } finally {
    tf.dispose(parts);
  }
}

/** The raw-pixel baseline's features: each image flattened, [N, H·W·C]. */
export function pixelFeatures(data: ImageDataset): tf.Tensor2D {
  const [h, w, c] = data.shape;
  return tf.tensor2d(data.images, [data.count, h * w * c]);
}
