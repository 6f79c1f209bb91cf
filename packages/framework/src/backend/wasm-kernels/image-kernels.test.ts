import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { expectClose } from '../../test-helpers';
import { registerWasmTrainingKernels } from './register-wasm-kernels';

/** Runs `f` on the cpu backend and on wasm; returns both results as plain arrays. */
async function onBoth(f: () => tf.Tensor): Promise<{ cpu: number[]; wasm: number[] }> {
  await tf.setBackend('cpu');
  const cpu = Array.from(tf.tidy(f).dataSync());
  await tf.setBackend('wasm');
  const wasm = Array.from(tf.tidy(f).dataSync());
  return { cpu, wasm };
}

beforeAll(() => {
  registerWasmTrainingKernels();
});

describe('CropAndResize on wasm', () => {
  const image = () => tf.tensor4d(Float32Array.from({ length: 3 * 7 * 9 * 2 }, (_, i) => Math.sin(i) + i / 50), [3, 7, 9, 2]);

  test('a hand-computed bilinear sample', async () => {
    // 2x2 image [[0, 1], [2, 3]]; the box centre (0.5, 0.5) with crop 1x1 is the mean, 1.5.
    const { wasm } = await onBoth(() =>
      tf.image.cropAndResize(tf.tensor4d([0, 1, 2, 3], [1, 2, 2, 1]), tf.tensor2d([[0, 0, 1, 1]]), tf.tensor1d([0], 'int32'), [1, 1]));
    expect(wasm).toEqual([1.5]);
  });

  test.each([
    ['bilinear', [5, 6]],
    ['bilinear', [7, 9]],
    ['nearest', [4, 3]],
    ['bilinear', [1, 4]],
  ] as const)('%s to %p matches the cpu backend, boxes touching and leaving the image', async (method, size) => {
    const boxes = [[1 / 6, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], [-0.2, 0.5, 0.4, 1.3], [0.3, 0.3, 0.3, 0.3], [0.9, 0.8, 0.1, 0.2]];
    const r = await onBoth(() =>
      tf.image.cropAndResize(image(), tf.tensor2d(boxes), tf.tensor1d([1, 0, 2, 1, 2], 'int32'), size as [number, number], method, 0.25));
    expectClose(r.wasm, r.cpu, 1e-5);
  });
  test('a full-image box from x = 1 to x = 0 mirrors exactly (the flip augmentation)', async () => {
    const mirrored = await onBoth(() =>
      tf.image.cropAndResize(image(), tf.tensor2d([[0, 1, 1, 0]]), tf.tensor1d([2], 'int32'), [7, 9]));
    const reversed = tf.tidy(() => Array.from(tf.reverse(image().slice(2, 1), 2).dataSync()));
    expect(mirrored.wasm).toEqual(reversed);
    expect(mirrored.cpu).toEqual(reversed);
  });
});

describe('GatherV2 on wasm', () => {
  const x = () => tf.tensor4d(Float32Array.from({ length: 2 * 4 * 3 * 2 }, (_, i) => i), [2, 4, 3, 2]);

  test('batchDims 1 along axis 1 picks each example\'s own rows (the translate augmentation)', async () => {
    const r = await onBoth(() => tf.gather(x(), tf.tensor2d([[3, 0, 0, 1], [2, 2, 3, 0]], [2, 4], 'int32'), 1, 1));
    expect(r.wasm).toEqual(r.cpu);
    // Example 1, output row 0 is its input row 2: values 24 + 2*6 ... 24 + 2*6 + 5.
    expect(r.wasm.slice(24, 30)).toEqual([36, 37, 38, 39, 40, 41]);
  });

  test('batchDims 1 along axis 2, and batchDims 0 (the backend\'s own kernel)', async () => {
    const a = await onBoth(() => tf.gather(x(), tf.tensor2d([[2, 1], [0, 0]], [2, 2], 'int32'), 2, 1));
    expect(a.wasm).toEqual(a.cpu);
    const b = await onBoth(() => tf.gather(x(), tf.tensor1d([3, 1], 'int32'), 1));
    expect(b.wasm).toEqual(b.cpu);
  });

  test('an index out of range is an error naming it', async () => {
    await tf.setBackend('wasm');
    expect(() => tf.gather(x(), tf.tensor2d([[4, 0, 0, 0], [0, 0, 0, 0]], [2, 4], 'int32'), 1, 1)).toThrow(/index value 4 is not in \[0, 3\]/);
  });
});
