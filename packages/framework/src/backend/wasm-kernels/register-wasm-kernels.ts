import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterWasmConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputWasmConfig } from './conv2d-backprop-input';

/**
 * Kernels this framework adds to (or replaces in) `@tensorflow/tfjs-backend-wasm` so that
 * every built-in encoder trains there: `Conv2DBackpropFilter` is missing from the backend,
 * and its `Conv2DBackpropInput` is a scalar loop ~10x slower than the forward convolution.
 */
export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterWasmConfig,
  conv2dBackpropInputWasmConfig,
];

/**
 * Registers {@link WASM_TRAINING_KERNELS} for the `wasm` backend (idempotent; a kernel the
 * backend already has is replaced). Called by `selectBackend` when it loads the wasm backend.
 * @returns the kernel names registered by this call (empty when already done)
 */
export function registerWasmTrainingKernels(): string[] {
  const done: string[] = [];
  for (const config of WASM_TRAINING_KERNELS) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
    done.push(config.kernelName);
  }
  return done;
}
