import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { expectClose } from '../../test-helpers';
import { aliasFreeBatchPad } from './conv2d-backprop-filter';
import { registerWasmTrainingKernels } from './register-wasm-kernels';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case { x: [number, number, number, number]; k: number; cout: number; stride: number | [number, number]; pad: Pad }

/**
 * Independent reference: the two convolution gradients as the definition's plain loops.
 * dW[i,j,ci,co] = sum x[b, oh*s+i-pt, ow*s+j-pl, ci] dy[b,oh,ow,co]; dx likewise scattered.
 */
function naiveGrads(x: tf.Tensor4D, w: tf.Tensor4D, dy: tf.Tensor4D, c: Case) {
  const [B, H, W, CI] = x.shape;
  const [KH, KW, , CO] = w.shape;
  const [, OH, OW] = dy.shape;
  const [sh, sw] = typeof c.stride === 'number' ? [c.stride, c.stride] : c.stride;
  const info = tf.backend_util.computeConv2DInfo(x.shape, w.shape, [sh, sw], 1, c.pad as 'same');
  const { top, left } = info.padInfo;
  const xs = x.dataSync(), ws = w.dataSync(), dys = dy.dataSync();
  const dW = new Float64Array(ws.length), dx = new Float64Array(xs.length);
  for (let b = 0; b < B; b++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++)
    for (let i = 0; i < KH; i++) for (let j = 0; j < KW; j++) {
      const r = oh * sh + i - top, q = ow * sw + j - left;
      if (r < 0 || r >= H || q < 0 || q >= W) continue;
      for (let ci = 0; ci < CI; ci++) for (let co = 0; co < CO; co++) {
        const g = dys[((b * OH + oh) * OW + ow) * CO + co];
        dW[((i * KW + j) * CI + ci) * CO + co] += xs[((b * H + r) * W + q) * CI + ci] * g;
        dx[((b * H + r) * W + q) * CI + ci] += ws[((i * KW + j) * CI + ci) * CO + co] * g;
      }
    }
  return { dW: Array.from(dW), dx: Array.from(dx) };
}

/** Gradients of sum(conv2d(x, w) * dy) with respect to x and w on the active backend. */
function tapeGrads(x: tf.Tensor4D, w: tf.Tensor4D, dy: tf.Tensor4D, c: Case) {
  const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), dy)),
  )([x, w]);
  const out = { dx: Array.from(gx.dataSync()), dW: Array.from(gw.dataSync()) };
  tf.dispose([gx, gw]);
  return out;
}

const cases: Case[] = [
  { x: [2, 5, 5, 1], k: 3, cout: 2, stride: 1, pad: 'same' },
  { x: [2, 6, 6, 3], k: 3, cout: 4, stride: 2, pad: 'same' }, // dx: equal phases interleaved by transposes
  { x: [3, 7, 7, 2], k: 3, cout: 3, stride: 2, pad: 'same' }, // odd size: padding on both sides
  { x: [2, 8, 8, 4], k: 1, cout: 5, stride: 2, pad: 'same' }, // 1x1 shortcut: last row unused
  { x: [2, 7, 6, 2], k: 3, cout: 2, stride: 1, pad: 'valid' },
  { x: [1, 9, 8, 2], k: 2, cout: 3, stride: [2, 3], pad: 'valid' },
  { x: [2, 6, 5, 2], k: 3, cout: 2, stride: 2, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
  { x: [2, 7, 6, 2], k: 3, cout: 2, stride: 2, pad: [[0, 0], [3, 1], [0, 2], [0, 0]] }, // padding >= k: upsampling path
  { x: [2, 9, 9, 3], k: 5, cout: 2, stride: 3, pad: 'same' },
  { x: [4, 28, 28, 1], k: 3, cout: 8, stride: 2, pad: 'same' }, // convnet's first layer
  { x: [64, 8, 8, 2], k: 3, cout: 3, stride: 2, pad: 'same' }, // K = 4*4*64 = 1024: zero images appended
  { x: [256, 3, 3, 1], k: 2, cout: 2, stride: 1, pad: 'valid' }, // K = 2*2*256 = 1024, Cin = 1
  { x: [2, 8, 9, 3], k: 3, cout: 2, stride: [2, 3], pad: 'same' }, // dx: 2x3 equal phases
  { x: [2, 5, 6, 2], k: 3, cout: 3, stride: [1, 2], pad: 'valid' }, // dx: 1x2 equal phases
];

describe('wasm convolution gradients', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
  });

  test.each(cases)('x %j matches the definition', (c) => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([c.k, c.k, c.x[3], c.cout], 0, 1, 'float32', 2) as tf.Tensor4D;
    const y = tf.conv2d(x, w, c.stride, c.pad);
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 3) as tf.Tensor4D;
    const expected = naiveGrads(x, w, dy, c);
    const got = tapeGrads(x, w, dy, c);
    expectClose(got.dW, expected.dW, 1e-4);
    expectClose(got.dx, expected.dx, 1e-4);
    tf.dispose([x, w, y, dy]);
  });

  test('registration is idempotent and frees every intermediate', () => {
    expect(registerWasmTrainingKernels()).toEqual([]);
    for (const c of [cases[1], cases[2], cases[10]]) { // [1]: equal dx phases; [10]: the batch-padded filter gradient
      const x = tf.randomNormal(c.x) as tf.Tensor4D;
      const w = tf.randomNormal([c.k, c.k, c.x[3], c.cout]) as tf.Tensor4D;
      const dy = tf.tidy(() => tf.onesLike(tf.conv2d(x, w, c.stride, c.pad))) as tf.Tensor4D;
      tapeGrads(x, w, dy, c);
      const tensors = tf.memory().numTensors;
      const buffers = tf.backend().numDataIds();
      for (let i = 0; i < 3; i++) tapeGrads(x, w, dy, c);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.backend().numDataIds()).toBe(buffers);
      tf.dispose([x, w, dy]);
    }
  });

  test('the filter gradient pads the batch only where K = pixels * batch is a multiple of 1024', () => {
    expect(aliasFreeBatchPad(49, 512)).toBe(0); // convnet's second layer: 25088
    expect(aliasFreeBatchPad(16, 512)).toBe(1); // its third: 8192 -> 16 * 513
    expect(aliasFreeBatchPad(196, 512)).toBe(1);
    expect(aliasFreeBatchPad(1024, 3)).toBe(0);
    expect(aliasFreeBatchPad(4096, 1)).toBe(0); // no batch size helps
    for (const [pixels, batch] of [[16, 512], [196, 512], [256, 4], [2, 512]]) {
      expect((pixels * (batch + aliasFreeBatchPad(pixels, batch))) % 1024).not.toBe(0);
    }
  });

  test('NCHW is refused with the kernel named', () => {
    const dy = tf.ones([1, 2, 3, 3]) as tf.Tensor4D;
    const x = tf.ones([1, 2, 3, 3]) as tf.Tensor4D;
    expect(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, {
      strides: 1, pad: 'valid', dataFormat: 'NCHW', filterShape: [1, 1, 2, 2],
    } as never)).toThrow(/wasm Conv2DBackpropFilter: only NHWC/);
    tf.dispose([dy, x]);
  });
});
