import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '@contrastive/framework';

/**
 * Runs `forward(x)` as a constant: its result [B, D] is detached from every gradient tape
 * (no gradient can reach the weights `forward` uses), and the ops inside are not even
 * recorded on the tape, so an enclosing `tf.variableGrads` neither keeps their intermediate
 * tensors nor walks them. This is the `no_grad` of MoCo's key encoder (arXiv:1911.05722,
 * Algorithm 1: `k = f_k.forward(x_k); k = k.detach()`).
 *
 * How: TensorFlow.js runs the forward function of a `tf.customGrad` op with the tape off;
 * the op's single output is then passed through {@link stopGradient}.
 *
 * @param x [B, H, W, C] input of the forward pass
 * @param forward must return one new tensor; its intermediates are freed
 * @returns the result of `forward`, detached
 */
export function detachedForward<T extends tf.Tensor>(x: tf.Tensor, forward: (x: tf.Tensor) => T): T {
  const op = tf.customGrad((input, _save) => ({
    value: forward(input as tf.Tensor),
    // Never used: the output is detached below, so no gradient ever arrives here.
    gradFunc: (_dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(input as tf.Tensor),
  }));
  return tf.tidy(() => stopGradient(op(x) as T));
}
