import * as tf from '@tensorflow/tfjs';

/**
 * Throws a readable error unless `logits` is [N, M] and `positiveIndex` is [N]. `name`
 * names the loss or metric in the message.
 */
export function assertLossInputs(logits: tf.Tensor, positiveIndex: tf.Tensor, name: string): void {
  if (logits.rank !== 2) throw new Error(`${name}: logits must be [N, M], got [${logits.shape}]`);
  if (positiveIndex.rank !== 1 || positiveIndex.shape[0] !== logits.shape[0]) {
    throw new Error(`${name}: positiveIndex must be [${logits.shape[0]}] (one per row), got [${positiveIndex.shape}]`);
  }
}

/** `positiveIndex` as int32 (cast when it is not already). Call inside a `tf.tidy`. */
export function asInt32Index(positiveIndex: tf.Tensor1D): tf.Tensor1D {
  return positiveIndex.dtype === 'int32' ? positiveIndex : tf.cast(positiveIndex, 'int32');
}

/**
 * Checks the inputs (see {@link assertLossInputs}) and returns the float32 one-hot mask
 * [N, M] of the positive columns. Call inside a `tf.tidy`.
 */
export function positiveMask(logits: tf.Tensor2D, positiveIndex: tf.Tensor1D, name: string): tf.Tensor2D {
  assertLossInputs(logits, positiveIndex, name);
  return tf.cast(tf.oneHot(asInt32Index(positiveIndex), logits.shape[1]), 'float32') as tf.Tensor2D;
}
