import type * as tf from '@tensorflow/tfjs';

/**
 * Representations of one split with their labels, aligned by row: `features` is [N, D],
 * `labels` holds N integers in [0, numClasses).
 */
export interface LabelledFeatures {
  features: tf.Tensor2D;
  labels: Int32Array;
}
