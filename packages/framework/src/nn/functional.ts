import * as tf from '@tensorflow/tfjs';
import { reluGrad } from './relu-grad';

/** Activation applied after a layer's linear part ('relu' uses {@link relu}). */
export type Activation = 'linear' | 'relu';

/**
 * Global average pooling: the mean over the spatial axes.
 *
 * The gradient is written out (dy / (H·W) at every position): tfjs's gradient of `mean`
 * builds a ones array of the input's full shape in JavaScript and uploads it every step
 * (512x4x4x128 floats for a convnet at batch 256); here it is a `fill` on the backend.
 *
 * @param x [B, H, W, C]
 * @returns [B, C]
 */
export function globalAveragePool(x: tf.Tensor4D): tf.Tensor2D {
  const [batch, height, width, channels] = x.shape;
  const pool = tf.customGrad((input) => ({
    value: tf.mean(input as tf.Tensor4D, [1, 2]),
    gradFunc: (dy: tf.Tensor) =>
      tf.mul(tf.fill([batch, height, width, channels], 1 / (height * width)), tf.reshape(dy, [batch, 1, 1, channels])),
  }));
  return pool(x) as tf.Tensor2D;
}

/**
 * ReLU, max(x, 0), with a cheaper gradient than `tf.relu`'s (dy · step(x), whose `step` is
 * six ops on the native backend): TensorFlow's `ReluGrad` op on the native backend (one
 * pass; see native-float-op.ts), `dy · step(y)` elsewhere (one pass on wasm: 0.8 ms for
 * 3.2M values, against 8 ms for the best `Sign`). Same values and gradient on every backend
 * (the gradient at exactly 0 is 0, as in tfjs).
 */
export const relu = tf.customGrad((x, save) => {
  const y = tf.relu(x as tf.Tensor);
  (save as tf.GradSaveFunc)([y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => reluGrad(dy, saved),
  };
}) as <T extends tf.Tensor>(x: T) => T;

/**
 * Returns a tensor with the same values as `x` that a gradient tape does not connect to
 * `x`: gradients never flow through it (like TensorFlow's `stop_gradient`). It shares
 * `x`'s buffer (no copy) and is not recorded on the tape, so it costs nothing backward.
 * The result is an ordinary tensor tracked by the current `tf.tidy` scope.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const engine = tf.engine();
  // What the Identity kernel does (share the buffer, add a reference), minus the tape node.
  engine.backend.incRef(x.dataId);
  return engine.makeTensorFromDataId(x.dataId, x.shape, x.dtype) as T;
}
