import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { originalSetup, runOriginalKernel } from './original-kernels';
import { heapView, release, runWasmKernel, type TensorInfo } from './wasm-kernel-utils';

type ReduceArgs = {
  inputs: { x: TensorInfo };
  backend: BackendWasm;
  attrs: { axis: number | number[]; keepDims: boolean };
};

/**
 * Sums (or means) over the leading axes of a float32 tensor, viewed as [R, C] (R = the
 * product of the reduced axes). The backend's own `Sum` and `Mean` first transpose the
 * reduced axes to the end: ~8 ms for 512x14x14x32. Instead, the rows are split as
 * [N, window] and the backend's XNNPACK `AvgPool` (threaded, SIMD) averages each run of
 * `window` rows: [N, window, 1, C] -> [N, 1, 1, C]; a short JS loop then adds the N means
 * (times `window` for a sum, divided by N for a mean) in float64. ~0.5 ms for 512x14x14x32
 * against ~7.6 ms for one JS pass over the heap, and ~1 ms against ~15 ms for a
 * batch-norm's mean over 256x28x28x32 (tools/bench/.ab-sum.js, 2 threads). Pooling averages
 * in float32: ~1e-6 relative error for these sizes. Small tensors (under
 * {@link POOLED_REDUCE_MIN_SIZE} values, where the pool's fixed cost dominates) and row counts
 * with no split keep the JS pass. Returns null for the other reductions (trailing or
 * scattered axes, other dtypes), which stay with the backend's kernels.
 */
function reduceLeadingAxes({ inputs: { x }, backend, attrs }: ReduceArgs, mean: boolean): TensorInfo | null {
  const axes = [...tf.util.parseAxisParam(attrs.axis, x.shape)].sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  if (x.dtype !== 'float32' || !leading) return null;
  const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
  const kept = x.shape.slice(axes.length);
  const cols = tf.util.sizeFromShape(kept);
  const window = rows * cols >= POOLED_REDUCE_MIN_SIZE ? poolWindow(x.shape.slice(0, axes.length)) : 1;
  let acc: Float64Array;
  if (window > 1) {
    const groups = rows / window;
    const pooled = runWasmKernel('AvgPool', backend, { x: { ...x, shape: [groups, window, 1, cols] } }, {
      filterSize: [window, 1], strides: [1, 1], pad: 'valid',
    });
    acc = columnSums(heapView(backend, pooled), groups, cols);
    release(backend, pooled);
    const scale = mean ? 1 / groups : window;
    for (let c = 0; c < cols; c++) acc[c] *= scale;
  } else {
    acc = columnSums(heapView(backend, x), rows, cols);
    if (mean) for (let c = 0; c < cols; c++) acc[c] /= rows;
  }
  const out = backend.makeOutput(attrs.keepDims ? [...axes.map(() => 1), ...kept] : kept, 'float32');
  heapView(backend, out).set(acc);
  return out;
}

/** Below this many values a leading-axes reduction stays one JS pass (the pool costs ~0.25 ms to start on 2 threads). */
export const POOLED_REDUCE_MIN_SIZE = 1 << 16;

/**
 * Rows per pooling window for reduced axes `dims`: all but the first axis (e.g. H*W of
 * [B, H, W]) when that is more than one row, else the largest divisor of the row count up
 * to its square root; 1 when there is none (a prime row count), meaning: do not pool.
 */
export function poolWindow(dims: number[]): number {
  const rows = tf.util.sizeFromShape(dims);
  if (dims.length > 1 && rows / dims[0] > 1) return rows / dims[0];
  for (let w = Math.floor(Math.sqrt(rows)); w > 1; w--) if (rows % w === 0) return w;
  return 1;
}

/** Column sums of `src` viewed as [rows, cols], in float64. */
function columnSums(src: Float32Array, rows: number, cols: number): Float64Array {
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) acc[c] += src[base + c];
  }
  return acc;
}

/** `Sum` on wasm: the leading-axes case in one pass (every bias gradient), see reduceLeadingAxes. */
export function sumWasm(args: ReduceArgs): TensorInfo {
  return reduceLeadingAxes(args, false) ?? runOriginalKernel(tf.Sum, args);
}

/**
 * The mean over the rows and columns of a float32 [B, H, W, C] tensor (global average
 * pooling, every encoder's last step) as the backend's XNNPACK `AvgPool` with an H x W
 * window: ~0.35 ms for 512x4x4x128 where the backend's `Mean` (a transpose first) takes
 * ~2.2 ms. Null for any other reduction.
 */
function meanOverRowsAndColumns({ inputs: { x }, backend, attrs }: ReduceArgs): TensorInfo | null {
  const axes = [...tf.util.parseAxisParam(attrs.axis, x.shape)].sort((a, b) => a - b);
  if (x.dtype !== 'float32' || x.shape.length !== 4 || axes.length !== 2 || axes[0] !== 1 || axes[1] !== 2) return null;
  const [batch, height, width, channels] = x.shape;
  const pooled = runWasmKernel('AvgPool', backend, { x }, { filterSize: [height, width], strides: [1, 1], pad: 'valid' });
  // The pooled buffer is [B, 1, 1, C] already; without keepDims only its shape changes.
  return attrs.keepDims ? pooled : { ...pooled, shape: [batch, channels] };
}

/**
 * `Mean` on wasm: the leading-axes case pooled (batch-norm statistics), see
 * reduceLeadingAxes, and global average pooling, see meanOverRowsAndColumns.
 */
export function meanWasm(args: ReduceArgs): TensorInfo {
  return reduceLeadingAxes(args, true) ?? meanOverRowsAndColumns(args) ?? runOriginalKernel(tf.Mean, args);
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
