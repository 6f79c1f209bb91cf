import * as tf from '@tensorflow/tfjs';
import { nativeFloatOp } from './native-float-op';

/**
 * Gradient of ReLU from its output: dy where y > 0, else 0 (0 at exactly 0, as in tfjs).
 * TensorFlow's `ReluGrad` on the native backend (one pass), `dy · step(y)` elsewhere (one
 * pass on wasm: 0.8 ms for 3.2M values, against 8 ms for the best `Sign`).
 */
export function reluGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  const native = dy.dtype === 'float32' && y.dtype === 'float32' ? nativeFloatOp('ReluGrad') : null;
  return native ? native(dy, y) : tf.mul(dy, tf.step(y));
}
