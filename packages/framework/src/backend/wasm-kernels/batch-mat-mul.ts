import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { originalSetup, runOriginalKernel } from './original-kernels';
import { release, runWasmKernel, type TensorInfo } from './wasm-kernel-utils';

/**
 * `BatchMatMul` for the wasm backend with transposed operands made explicit: the backend's
 * own kernel is fast (XNNPACK) only when neither operand is transposed, and 8-15x slower
 * otherwise (256x128 @ (256x128)ᵀ: 7.3 ms against 0.9 ms, measured with tools/bench). Every
 * matMul gradient transposes an operand, and the scores of a contrastive loss are
 * `anchors @ candidatesᵀ`. Transposing first costs a fraction of a millisecond.
 *
 * Inputs a [..., M, K] (or [..., K, M] with transposeA), b [..., K, N] (or [..., N, K]);
 * output [..., M, N], as tfjs's op.
 */
export function batchMatMulWasm(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: BackendWasm;
  attrs: { transposeA: boolean; transposeB: boolean };
}): TensorInfo {
  const { inputs: { a, b }, backend, attrs } = args;
  if (!attrs.transposeA && !attrs.transposeB) return runOriginalKernel(tf.BatchMatMul, args);
  const swapLastTwo = (x: TensorInfo) => {
    const perm = x.shape.map((_, i) => i);
    [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
    return runWasmKernel('Transpose', backend, { x }, { perm });
  };
  const aPlain = attrs.transposeA ? swapLastTwo(a) : a;
  const bPlain = attrs.transposeB ? swapLastTwo(b) : b;
  const out = runOriginalKernel(tf.BatchMatMul, {
    inputs: { a: aPlain, b: bPlain }, backend, attrs: { ...attrs, transposeA: false, transposeB: false },
  });
  release(backend, ...[aPlain, bPlain].filter((t) => t !== a && t !== b));
  return out;
}

/** Kernel registration of {@link batchMatMulWasm}. */
export const batchMatMulWasmConfig: tf.KernelConfig = {
  kernelName: tf.BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMulWasm as unknown as tf.KernelFunc,
  setupFunc: originalSetup(tf.BatchMatMul),
};
