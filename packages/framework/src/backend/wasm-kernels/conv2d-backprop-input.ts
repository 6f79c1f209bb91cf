import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { stridedInputGradient } from './strided-input-gradient';
import { type ConvGradAttrs, forwardConvInfo, heapView, release, runWasmKernel, type TensorInfo } from './wasm-kernel-utils';

/**
 * `Conv2DBackpropInput` for the wasm backend: the gradient of a 2-D convolution with
 * respect to its input (also what `conv2dTranspose` runs). Replaces the backend's own
 * kernel, a scalar loop about ten times slower than the forward convolution, which made
 * it the largest cost of a training step.
 *
 * dx is a stride-1 convolution of dy, zero-upsampled by the forward stride and padded by
 * (k - 1 - forward padding), with the filter rotated by 180 degrees and its in/out axes
 * swapped. It runs on the backend's XNNPACK `Conv2D` kernel:
 *
 *   stride 1: conv2d(dy, wRot, explicit padding) directly
 *   stride s: s*s stride-1 convolutions with sub-kernels, interleaved ({@link stridedInputGradient});
 *             for unusual explicit padding, dy is zero-upsampled and padded into one buffer
 *             (one pass in JS over the wasm heap), then conv2d(..., 'valid')
 *
 * Inputs: dy [B, OH, OW, Cout], filter [kh, kw, Cin, Cout]; attrs as tfjs's op
 * (`inputShape`, `strides`, `pad`, `dimRoundingMode`; NHWC only). Output: [B, H, W, Cin].
 */
export function conv2dBackpropInputWasm(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: ConvGradAttrs & { inputShape: [number, number, number, number] };
}): TensorInfo {
  const { inputs: { dy, filter }, backend, attrs } = args;
  const info = forwardConvInfo('Conv2DBackpropInput', attrs.inputShape, filter.shape, attrs);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const [, height, width] = attrs.inputShape;
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const bottom = height + kh - 1 - top - ((dy.shape[1] - 1) * sh + 1);
  const right = width + kw - 1 - left - ((dy.shape[2] - 1) * sw + 1);

  if (sh > 1 || sw > 1) {
    const dx = stridedInputGradient(backend, dy, filter, {
      size: [height, width], stride: [sh, sw], pad: [info.padInfo.top, info.padInfo.left],
    });
    if (dx) return dx;
  }
  const rotated = rotatedFilter(backend, filter);
  let out: TensorInfo;
  if (sh === 1 && sw === 1 && Math.min(top, left, bottom, right) >= 0) {
    out = runWasmKernel('Conv2D', backend, { x: dy, filter: rotated }, {
      strides: [1, 1], pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dilations: [1, 1], dataFormat: 'NHWC',
    });
  } else {
    const upsampled = upsampleAndPad(backend, dy, [height + kh - 1, width + kw - 1], [sh, sw], [top, left]);
    out = runWasmKernel('Conv2D', backend, { x: upsampled, filter: rotated }, {
      strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC',
    });
    release(backend, upsampled);
  }
  release(backend, rotated);
  return out;
}

/** [kh, kw, Cin, Cout] -> [kh, kw, Cout, Cin] rotated by 180 degrees: r[i, j, co, ci] = w[kh-1-i, kw-1-j, ci, co]. */
function rotatedFilter(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const [kh, kw, cin, cout] = filter.shape;
  const out = backend.makeOutput([kh, kw, cout, cin], 'float32');
  const w = heapView(backend, filter);
  const r = heapView(backend, out);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const src = ((kh - 1 - i) * kw + (kw - 1 - j)) * cin * cout;
      const dst = (i * kw + j) * cout * cin;
      for (let ci = 0; ci < cin; ci++) {
        for (let co = 0; co < cout; co++) r[dst + co * cin + ci] = w[src + ci * cout + co];
      }
    }
  }
  return out;
}

/**
 * dy [B, OH, OW, C] placed at rows top + oh*sh and columns left + ow*sw of a zero buffer
 * [B, rows, cols, C]; entries that fall outside (only with unusual explicit padding) are
 * dropped, as they touch no input pixel.
 */
function upsampleAndPad(
  backend: BackendWasm,
  dy: TensorInfo,
  [rows, cols]: [number, number],
  [sh, sw]: [number, number],
  [top, left]: [number, number],
): TensorInfo {
  const [batch, oh, ow, c] = dy.shape;
  const out = backend.makeOutput([batch, rows, cols, c], 'float32');
  const src = heapView(backend, dy);
  const dst = heapView(backend, out);
  dst.fill(0);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < oh; i++) {
      const r = top + i * sh;
      if (r < 0 || r >= rows) continue;
      for (let j = 0; j < ow; j++) {
        const col = left + j * sw;
        if (col < 0 || col >= cols) continue;
        const from = ((b * oh + i) * ow + j) * c;
        dst.set(src.subarray(from, from + c), ((b * rows + r) * cols + col) * c);
      }
    }
  }
  return out;
}

/** Kernel registration of {@link conv2dBackpropInputWasm}. */
export const conv2dBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputWasm as unknown as tf.KernelFunc,
};
