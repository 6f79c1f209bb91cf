import type * as tf from '@tensorflow/tfjs';
import { activeTfNodeBackend, float32Attr, type TfNodeBackend } from './tf-node-backend';

/**
 * TensorFlow ops called directly on the native backend whose attributes other than the
 * dtype `T` keep their defaults (`BiasAddGrad`'s data_format is NHWC).
 */
export type NativeFloatOpName = 'ReluGrad' | 'LogSoftmax' | 'BiasAddGrad';

/**
 * A caller of TensorFlow's op `name` on float32 inputs when the active backend is tfjs-node's
 * `tensorflow`, else null (the caller then composes it from tfjs ops). The op runs outside
 * tfjs's kernel registry, so it records no gradient: use it only where none is taken (inside
 * a gradient function, or the forward pass of a `tf.customGrad`).
 *
 * - `ReluGrad` (dy where y > 0): 0.8 ms for 512x14x14x32 where `dy · sign(y)` takes 5.7 ms
 *   (TensorFlow's `Sign` is the slow part), on 2 cores.
 * - `LogSoftmax` over the last axis: one kernel, 0.15 ms for 256x256, where tfjs's
 *   composition launches six (0.40 ms).
 * - `BiasAddGrad` (the sum of an NHWC tensor over all but its channels): 0.24 ms for
 *   512x14x14x32 where `Sum` over three axes takes 0.45 ms.
 */
export function nativeFloatOp(name: NativeFloatOpName): ((...inputs: tf.Tensor[]) => tf.Tensor) | null {
  const backend = activeTfNodeBackend();
  if (!backend) return null;
  // Runs in every step's gradients: one caller per op and backend, built once.
  if (cached?.backend !== backend) cached = { backend, callers: new Map() };
  let caller = cached.callers.get(name);
  if (!caller) cached.callers.set(name, (caller = makeCaller(backend, name)));
  return caller;
}

let cached: { backend: object; callers: Map<NativeFloatOpName, (...inputs: tf.Tensor[]) => tf.Tensor> } | null = null;

function makeCaller(backend: TfNodeBackend, name: NativeFloatOpName): (...inputs: tf.Tensor[]) => tf.Tensor {
  const attrs = [float32Attr(backend)];
  return (...inputs) => {
    if (inputs.some((t) => t.dtype !== 'float32')) throw new Error(`native ${name}: float32 inputs expected, got ${inputs.map((t) => t.dtype)}`);
    return backend.executeSingleOutput(name, attrs, inputs);
  };
}
