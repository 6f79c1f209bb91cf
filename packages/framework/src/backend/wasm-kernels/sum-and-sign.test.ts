import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { expectClose } from '../../test-helpers';
import { registerWasmTrainingKernels } from './register-wasm-kernels';
import { POOLED_REDUCE_MIN_SIZE, poolWindow } from './sum';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

/** x[i] = a simple function of i, so the reference sums can be computed on plain arrays. */
const ramp = (shape: number[]) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i) * 3 + (i % 5));

/** Reference: sums over the first `k` axes of a row-major array. */
function sumLeading(values: Float32Array, shape: number[], k: number): number[] {
  const cols = shape.slice(k).reduce((a, b) => a * b, 1);
  const out = new Array<number>(cols).fill(0);
  values.forEach((v, i) => { out[i % cols] += v; });
  return out;
}

describe('Sum on wasm', () => {
  test.each([
    [[512, 7, 7, 16], [0, 1, 2], false], // pooled: windows of 49 rows
    [[64, 9, 9, 13], [0, 1], true], // pooled, odd sizes, keepDims
    [[4096, 24], [0], false], // pooled over one axis: windows of 64 rows
    [[4099, 24], 0, false], // a prime row count: one JS pass
    [[4, 5, 6], [0], false],
    [[4, 5, 6], [1, 0], true],
    [[3, 8], 0, true],
  ] as [number[], number | number[], boolean][])('over the leading axes of %p (axis %p, keepDims %p) matches the definition', (shape, axis, keepDims) => {
    const values = ramp(shape);
    const k = Array.isArray(axis) ? axis.length : 1;
    const got = tf.tidy(() => tf.sum(tf.tensor(values, shape), axis, keepDims));
    const expectedShape = keepDims ? [...shape.slice(0, k).map(() => 1), ...shape.slice(k)] : shape.slice(k);
    expect(got.shape).toEqual(expectedShape);
    expectClose(Array.from(got.dataSync()), sumLeading(values, shape, k), 1e-4);
    got.dispose();
  });

  test('other reductions keep the backend\'s kernel: trailing, scattered, all axes, int32', () => {
    const x = tf.tensor3d(ramp([2, 3, 4]), [2, 3, 4]);
    const a = x.arraySync();
    tf.tidy(() => {
      expectClose(tf.sum(x, 2).arraySync(), a.map((m) => m.map((r) => r.reduce((s, v) => s + v, 0))), 1e-5);
      expectClose(tf.sum(x, [0, 2]).arraySync(), [0, 1, 2].map((j) => a.reduce((s, m) => s + m[j].reduce((t, v) => t + v, 0), 0)), 1e-5);
      expectClose(tf.sum(x).arraySync(), a.flat(2).reduce((s, v) => s + v, 0), 1e-5);
      expect(tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), 0).arraySync()).toEqual([4, 6]);
    });
    x.dispose();
  });

  test('pools where that pays: windows of all but the first reduced axis, else a divisor of the rows', () => {
    expect(POOLED_REDUCE_MIN_SIZE).toBe(65536);
    expect(poolWindow([512, 14, 14])).toBe(196);
    expect(poolWindow([1, 4, 4])).toBe(16);
    expect(poolWindow([4096])).toBe(64);
    expect(poolWindow([24])).toBe(4);
    expect(poolWindow([4099])).toBe(1);
    expect(poolWindow([7, 1])).toBe(1); // 7 rows in all: prime
  });

  test.each([[[64, 3, 3, 8]], [[64, 16, 16, 8]]])('leaves no buffer behind (%p)', (shape) => {
    const x = tf.ones(shape);
    tf.dispose([tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1, 2])]);
    const before = tf.engine().backend.numDataIds();
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.dispose([tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1, 2])]);
    expect(tf.engine().backend.numDataIds()).toBe(before);
    expect(tf.memory().numTensors).toBe(tensors);
    x.dispose();
  });
});

describe('Mean on wasm', () => {
  test.each([[[64, 5, 5, 8]], [[64, 17, 17, 8]]])('over the leading axes of %p (batch-norm statistics) matches the definition; other axes keep the backend\'s kernel', (shape) => {
    const values = ramp(shape);
    const rows = shape[0] * shape[1] * shape[2];
    tf.tidy(() => {
      const x = tf.tensor(values, shape);
      const got = tf.mean(x, [0, 1, 2]);
      expect(got.shape).toEqual([8]);
      expectClose(Array.from(got.dataSync()), sumLeading(values, shape, 3).map((s) => s / rows), 1e-5);
      expect(tf.mean(x, [0, 1, 2], true).shape).toEqual([1, 1, 1, 8]);
      const trailing = tf.mean(tf.tensor2d([[1, 2, 3], [4, 5, 9]]), 1);
      expectClose(Array.from(trailing.dataSync()), [2, 6], 1e-6);
    });
  });
});

describe('Mean over rows and columns on wasm (global average pooling)', () => {
  /** Reference: the mean of each (example, channel) over H x W, from the definition. */
  function spatialMeans(values: Float32Array, [b, h, w, c]: number[]): number[] {
    const out = new Array<number>(b * c).fill(0);
    values.forEach((v, i) => { out[Math.floor(i / (h * w * c)) * c + (i % c)] += v / (h * w); });
    return out;
  }

  test.each([[[6, 4, 4, 5]], [[3, 7, 5, 2]], [[2, 1, 1, 3]]])('of %p matches the definition, with and without keepDims', (shape) => {
    const values = ramp(shape);
    tf.tidy(() => {
      const x = tf.tensor(values, shape);
      const got = tf.mean(x, [1, 2]);
      expect(got.shape).toEqual([shape[0], shape[3]]);
      expectClose(Array.from(got.dataSync()), spatialMeans(values, shape), 1e-5);
      const kept = tf.mean(x, [2, 1], true);
      expect(kept.shape).toEqual([shape[0], 1, 1, shape[3]]);
      expectClose(Array.from(kept.dataSync()), spatialMeans(values, shape), 1e-5);
    });
  });

  test('leaves no tensor or buffer behind, and other axes keep the backend\'s kernel', () => {
    const x = tf.tensor(ramp([4, 3, 3, 2]), [4, 3, 3, 2]);
    const before = tf.memory();
    for (let i = 0; i < 3; i++) tf.mean(x, [1, 2]).dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    // Axes [1, 3] are not a pooling window: the backend's kernel, still correct.
    const m = tf.mean(tf.tensor4d([[[[1, 2]], [[3, 6]]]]), [1, 3]);
    expectClose(Array.from(m.dataSync()), [3], 1e-6);
    tf.dispose([x, m]);
  });
});

describe('Sign on wasm', () => {
  test('-1, 0, 1 and NaN for float32; int32 keeps the backend\'s kernel', () => {
    const got = tf.tidy(() => Array.from(tf.sign(tf.tensor1d([-2.5, -1e-30, 0, 1e-30, 7, NaN])).dataSync()));
    expect(got).toEqual([-1, -1, 0, 1, 1, NaN]);
    expect(tf.tidy(() => Array.from(tf.sign(tf.tensor1d([-3, 0, 4], 'int32')).dataSync()))).toEqual([-1, 0, 1]);
  });
});
