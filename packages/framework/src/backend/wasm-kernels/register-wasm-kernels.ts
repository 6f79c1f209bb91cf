import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterWasmConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputWasmConfig } from './conv2d-backprop-input';
import { cropAndResizeWasmConfig } from './crop-and-resize';
import { batchMatMulWasmConfig } from './batch-mat-mul';
import { gatherV2WasmConfig } from './gather-v2';
import { identityWasmConfig } from './identity';
import { captureOriginalKernel } from './original-kernels';
import { signWasmConfig } from './sign';
import { meanWasmConfig, sumWasmConfig } from './sum';

/**
 * Kernels this framework adds to (or replaces in) `@tensorflow/tfjs-backend-wasm` 4.22 so
 * that every built-in component trains there with the other backends' results:
 * - `Conv2DBackpropFilter`: missing (no convolution could train);
 * - `Conv2DBackpropInput`: a scalar loop ~10x slower than the forward convolution;
 * - `CropAndResize` (random-resized-crop) and `GatherV2` with batchDims (translate): wrong results;
 * - `BatchMatMul` with a transposed operand: 8-15x slower than without (every matMul gradient);
 * - `Sum` and `Mean` over leading axes (bias gradients, batch-norm statistics) and `Sign`
 *   (the ReLU gradient): 2-6x slower than one pass over the data.
 * The replacements hand every case they do not speed up to the backend's own kernel.
 */
export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterWasmConfig,
  conv2dBackpropInputWasmConfig,
  cropAndResizeWasmConfig,
  gatherV2WasmConfig,
  batchMatMulWasmConfig,
  sumWasmConfig,
  meanWasmConfig,
  signWasmConfig,
  identityWasmConfig,
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
    captureOriginalKernel(current, config);
    if (current) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
    done.push(config.kernelName);
  }
  return done;
}
