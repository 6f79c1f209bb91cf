import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { originalSetup, runOriginalKernel } from './original-kernels';
import type { TensorInfo } from './wasm-kernel-utils';

type ReduceArgs = {
  inputs: { x: TensorInfo };
  backend: BackendWasm;
  attrs: { axis: number | number[]; keepDims: boolean };
};

/**
 * Sums (or means) over the leading axes of a float32 tensor in one sequential pass over the
 * wasm heap: column sums of x viewed as [R, C], accumulated in float64, times `scale`. The
 * backend's own `Sum` and `Mean` first transpose the reduced axes to the end: ~8 ms for
 * 512x14x14x32 where the pass takes ~5 ms, and ~37 ms against ~6 ms for a batch-norm's
 * mean over 256x28x28x32. (A product ones[1, R] @ x on XNNPACK is slower still, ~15 ms: it
 * repacks x as weights.) Returns null for the other reductions (trailing or scattered
 * axes, other dtypes), which stay with the backend's kernels.
 */
function reduceLeadingAxes({ inputs: { x }, backend, attrs }: ReduceArgs, mean: boolean): TensorInfo | null {
  const axes = [...tf.util.parseAxisParam(attrs.axis, x.shape)].sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  if (x.dtype !== 'float32' || !leading) return null;
  const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
  const kept = x.shape.slice(axes.length);
  const cols = tf.util.sizeFromShape(kept);
  const out = backend.makeOutput(attrs.keepDims ? [...axes.map(() => 1), ...kept] : kept, 'float32');
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) acc[c] += src[base + c];
  }
  if (mean) for (let c = 0; c < cols; c++) acc[c] /= rows;
  (backend.typedArrayFromHeap(out) as Float32Array).set(acc);
  return out;
}

/** `Sum` on wasm: the leading-axes case in one pass (every bias gradient), see reduceLeadingAxes. */
export function sumWasm(args: ReduceArgs): TensorInfo {
  return reduceLeadingAxes(args, false) ?? runOriginalKernel(tf.Sum, args);
}

/** `Mean` on wasm: the leading-axes case in one pass (batch-norm statistics), see reduceLeadingAxes. */
export function meanWasm(args: ReduceArgs): TensorInfo {
  return reduceLeadingAxes(args, true) ?? runOriginalKernel(tf.Mean, args);
}

/** Kernel registration of {@link sumWasm}. */
export const sumWasmConfig: tf.KernelConfig = {
  kernelName: tf.Sum,
  backendName: 'wasm',
  kernelFunc: sumWasm as unknown as tf.KernelFunc,
  setupFunc: originalSetup(tf.Sum),
};

/** Kernel registration of {@link meanWasm}. */
export const meanWasmConfig: tf.KernelConfig = {
  kernelName: tf.Mean,
  backendName: 'wasm',
  kernelFunc: meanWasm as unknown as tf.KernelFunc,
  setupFunc: originalSetup(tf.Mean),
};
