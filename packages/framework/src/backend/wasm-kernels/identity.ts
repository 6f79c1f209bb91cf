import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { runOriginalKernel } from './original-kernels';
import type { TensorInfo } from './wasm-kernel-utils';

/**
 * `Identity` (what `tf.clone` runs) on wasm that shares the input's buffer, counting one more
 * reference to it, as the cpu backend's Identity and wasm's own `Reshape` do. The backend's
 * kernel copies the whole buffer, and tfjs clones every tensor a custom gradient saves for
 * the backward pass: ~4.7 ms of copies per convnet step at batch 256. Sharing is safe because
 * no kernel writes into its inputs (a variable's `assign` swaps buffers, it does not write).
 * Strings keep the backend's own kernel.
 */
export function identityWasm(args: { inputs: { x: TensorInfo }; backend: BackendWasm }): TensorInfo {
  const { inputs: { x }, backend } = args;
  if (x.dtype === 'string') return runOriginalKernel(tf.Identity, args);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Kernel registration of {@link identityWasm}. */
export const identityWasmConfig: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: identityWasm as unknown as tf.KernelFunc,
};
