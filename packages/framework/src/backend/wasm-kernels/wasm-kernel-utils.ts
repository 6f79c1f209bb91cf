import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** A tensor living in the wasm backend's heap (what kernels receive and return). */
export type TensorInfo = tf.TensorInfo;

/**
 * Calls another kernel of the wasm backend directly (no tape, no engine bookkeeping), the
 * way the backend's own kernels compose: the result is a new TensorInfo the caller owns and
 * must release with {@link release} unless it is the kernel's output.
 */
export function runWasmKernel(
  name: string,
  backend: BackendWasm,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown> = {},
): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm kernel ${name} is not registered`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as TensorInfo;
}

/** Frees intermediate results made by {@link runWasmKernel}. */
export function release(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** The Float32Array over a tensor's bytes in the wasm heap (re-take it after any allocation). */
export function heapView(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/**
 * A copy of `info` [B, ...] with `extra` zero entries appended along the first axis:
 * [B + extra, ...]. One memmove within the heap plus a fill.
 */
export function withZeroRows(backend: BackendWasm, info: TensorInfo, extra: number): TensorInfo {
  const [rows, ...rest] = info.shape;
  const out = backend.makeOutput([rows + extra, ...rest], 'float32');
  const size = tf.util.sizeFromShape(info.shape);
  const src = heapView(backend, info);
  const heap = new Float32Array(src.buffer);
  const from = src.byteOffset / 4;
  const to = heapView(backend, out).byteOffset / 4;
  heap.copyWithin(to, from, from + size);
  heap.fill(0, to + size, to + tf.util.sizeFromShape(out.shape));
  return out;
}

/** Attributes both convolution-gradient kernels share. */
export interface ConvGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * The forward convolution's geometry (same padding rules as the forward kernel), for an
 * input of `xShape` [B, H, W, Cin] and a filter of `filterShape` [kh, kw, Cin, Cout].
 * Throws for NCHW, which no wasm convolution kernel supports.
 */
export function forwardConvInfo(
  kernel: string,
  xShape: number[],
  filterShape: number[],
  attrs: ConvGradAttrs,
): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat === 'NCHW') throw new Error(`wasm ${kernel}: only NHWC (channelsLast) is supported`);
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}
