import * as tf from '@tensorflow/tfjs';

/**
 * Identity forward, negated gradient backward (Ganin & Lempitsky 2015, arXiv:1409.7495). Put
 * between a generator and its discriminator, one loss and one optimizer step train the
 * discriminator to minimise the loss and the generator to maximise it.
 *
 * @param x any shape
 * @returns x (a new tensor); d/dx = -dy
 */
export const gradientReversal = tf.customGrad((x) => ({
  value: tf.clone(x as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.neg(dy),
})) as <T extends tf.Tensor>(x: T) => T;
