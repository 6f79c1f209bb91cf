import * as tf from '@tensorflow/tfjs';
import { asInt32Index, assertLossInputs } from './loss-inputs';

/**
 * Fraction of rows whose highest logit is the positive column: a training metric in [0, 1].
 * Ties count as correct only when the positive is the first maximal column (argmax order).
 * Not differentiable; compute it outside the gradient or ignore its gradient.
 *
 * @param logits [N, M]
 * @param positiveIndex int32 [N]
 * @returns float32 scalar
 */
export function positiveAccuracy(logits: tf.Tensor2D, positiveIndex: tf.Tensor1D): tf.Scalar {
  assertLossInputs(logits, positiveIndex, 'positiveAccuracy');
  return tf.tidy(
    () => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), asInt32Index(positiveIndex)), 'float32')) as tf.Scalar,
  );
}
