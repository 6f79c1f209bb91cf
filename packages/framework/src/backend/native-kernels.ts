import * as tf from '@tensorflow/tfjs';

type CastArgs = { inputs: { x: tf.TensorInfo }; backend: { incRef(dataId: object): void }; attrs: { dtype: tf.DataType } };

let originalCast: tf.KernelFunc | null = null;

/**
 * `Cast` for the native `tensorflow` backend that returns its input (sharing the buffer, as
 * the `Identity` kernel does) when the dtype does not change. tfjs's gradient functions cast
 * float32 values to float32 dozens of times per training step; tfjs-node sends each one to
 * TensorFlow as an op (~20 µs of launch overhead for no work), the other backends already
 * short-cut it. Other casts go to tfjs-node's own kernel.
 */
function castKeepingSameDtype(args: CastArgs): tf.TensorInfo {
  const { inputs: { x }, backend, attrs: { dtype } } = args;
  if (x.dtype === dtype) {
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype };
  }
  return originalCast!(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

/**
 * Installs {@link castKeepingSameDtype} for the `tensorflow` backend (idempotent). Called by
 * `selectBackend` after tfjs-node has registered its kernels.
 * @returns true when it was installed by this call
 */
export function registerNativeKernelShortcuts(): boolean {
  const current = tf.getKernel(tf.Cast, 'tensorflow');
  if (!current || current.kernelFunc === (castKeepingSameDtype as unknown as tf.KernelFunc)) return false;
  originalCast = current.kernelFunc;
  tf.unregisterKernel(tf.Cast, 'tensorflow');
  tf.registerKernel({ kernelName: tf.Cast, backendName: 'tensorflow', kernelFunc: castKeepingSameDtype as unknown as tf.KernelFunc });
  return true;
}
