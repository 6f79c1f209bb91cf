import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type ConvGradAttrs, forwardConvInfo, release, runWasmKernel, type TensorInfo, withZeroRows } from './wasm-kernel-utils';

/**
 * `Conv2DBackpropFilter` for the wasm backend, which ships none (so no convolution could
 * train there): the gradient of a 2-D convolution with respect to its filter.
 *
 * dW[kh, kw, ci, co] = sum over b, oh, ow of x_pad[b, oh*s + kh, ow*s + kw, ci] * dy[b, oh, ow, co]
 *
 * That sum is itself a convolution, with the roles of the axes swapped: the input's channels
 * become the batch, the batch becomes the channels, and dy is the filter, dilated by the
 * forward stride. So it runs on the backend's own XNNPACK `Conv2D` kernel (SIMD, packed
 * GEMM) between two cheap transposes, instead of a scalar loop:
 *
 *   xT  = x transposed to [Cin, H, W, B]
 *   dyT = dy transposed to [OH, OW, B, Cout]
 *   g   = conv2d(xT, dyT, stride 1, dilation = forward stride, forward padding) -> [Cin, kh, kw, Cout]
 *   dW  = g transposed to [kh, kw, Cin, Cout]
 *
 * The backend prepares a new filter on every call (its C++ transposes it to [Cout, K] with
 * K = OH*OW*B, then XNNPACK packs it): ~5 ns per value, and about twice that when K is a
 * multiple of 1024, because the transpose's Cout write streams, K*4 bytes apart, then
 * share one cache set (8192x128: 9.4 ms against 5.0 ms for 8193x128, measured with
 * tools/bench). So a batch whose K would alias gets {@link aliasFreeBatchPad} zero images
 * appended to x and dy first, which change no sum.
 *
 * Inputs: x [B, H, W, Cin], dy [B, OH, OW, Cout]; attrs as tfjs's op (`filterShape`,
 * `strides`, `pad`, `dimRoundingMode`; NHWC only). Output: [kh, kw, Cin, Cout].
 */
export function conv2dBackpropFilterWasm(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: ConvGradAttrs & { filterShape: [number, number, number, number] };
}): TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  const info = forwardConvInfo('Conv2DBackpropFilter', x.shape, attrs.filterShape, attrs);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  // The padded input the filter-sized output needs: kh + (OH - 1) * sh rows. When the
  // forward padding left trailing rows unused (negative), pad nothing and crop the result.
  const bottom = kh + (outHeight - 1) * sh - x.shape[1] - top;
  const right = kw + (outWidth - 1) * sw - x.shape[2] - left;

  const extra = aliasFreeBatchPad(outHeight * outWidth, x.shape[0]);
  const xb = extra > 0 ? withZeroRows(backend, x, extra) : x;
  const dyb = extra > 0 ? withZeroRows(backend, dy, extra) : dy;
  const xT = runWasmKernel('Transpose', backend, { x: xb }, { perm: [3, 1, 2, 0] });
  const dyT = runWasmKernel('Transpose', backend, { x: dyb }, { perm: [1, 2, 0, 3] });
  if (extra > 0) release(backend, xb, dyb);
  const g = runWasmKernel('Conv2D', backend, { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad: [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]],
    dilations: [sh, sw],
    dataFormat: 'NHWC',
  });
  release(backend, xT, dyT);
  let cropped = g;
  if (g.shape[1] !== kh || g.shape[2] !== kw) {
    cropped = runWasmKernel('Slice', backend, { x: g }, { begin: [0, 0, 0, 0], size: [g.shape[0], kh, kw, g.shape[3]] });
    release(backend, g);
  }
  const out = runWasmKernel('Transpose', backend, { x: cropped }, { perm: [1, 2, 0, 3] });
  release(backend, cropped);
  return out;
}

/**
 * How many zero images (0 or 1) to append so that the filter's reduction length
 * K = pixels * batch is not a multiple of 1024 (see {@link conv2dBackpropFilterWasm}): 0 when
 * it is not one already, or when pixels alone is (then no batch size helps).
 * @param pixels OH * OW of dy; @param batch B
 */
export function aliasFreeBatchPad(pixels: number, batch: number): number {
  return (pixels * batch) % 1024 === 0 && pixels % 1024 !== 0 ? 1 : 0;
}

/** Kernel registration of {@link conv2dBackpropFilterWasm}. */
export const conv2dBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
};
