import * as tf from '@tensorflow/tfjs';

/** Below this standard deviation a feature is treated as constant and only centred. */
const MIN_STD = 1e-6;

/**
 * Standardises train and test features with the per-dimension mean and standard deviation
 * of the train features (z-scores), as the linear-evaluation protocol does before fitting
 * the classifier. Constant dimensions (std < 1e-6, e.g. always-black border pixels) are only
 * centred, so they become 0 instead of NaN. No label is used.
 *
 * @param train [N, D]
 * @param test [M, D]
 * @returns new tensors [N, D] and [M, D]; the inputs are left alone
 */
export function standardizeSplits(train: tf.Tensor2D, test: tf.Tensor2D): { train: tf.Tensor2D; test: tf.Tensor2D } {
  if (train.shape[1] !== test.shape[1]) {
    throw new Error(`standardizeSplits: train has ${train.shape[1]} dimensions, test ${test.shape[1]}`);
  }
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(train, 0);
    const std = tf.sqrt(variance);
    const scale = tf.where(tf.less(std, MIN_STD), tf.onesLike(std), std);
    return {
      train: tf.div(tf.sub(train, mean), scale) as tf.Tensor2D,
      test: tf.div(tf.sub(test, mean), scale) as tf.Tensor2D,
    };
  });
}
