import * as tf from '@tensorflow/tfjs';

/** A trained linear classifier: logits = x W + b. Owns its two tensors. */
export class LinearClassifier {
  /**
   * @param weights [D, C]
   * @param bias [C]
   */
  constructor(readonly weights: tf.Tensor2D, readonly bias: tf.Tensor1D) {}

  /** [N, D] -> logits [N, C]. */
  logits(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.add(tf.matMul(x, this.weights), this.bias));
  }

  dispose(): void {
    tf.dispose([this.weights, this.bias]);
  }
}

/**
 * Mean softmax cross-entropy of logits [N, C] against integer labels [N]: the negative
 * log-likelihood of multinomial logistic regression.
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logp, tf.oneHot(labels, logits.shape[1])), 1);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}
