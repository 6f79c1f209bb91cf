import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { expectClose } from '../../test-helpers';
import { registerWasmTrainingKernels } from './register-wasm-kernels';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

/** Independent reference: C[b, i, j] = Σ_k A[b, i, k]·B[b, k, j] in float64, on plain arrays. */
function naiveMatMul(a: number[][][], b: number[][][]): number[][][] {
  return a.map((ab, n) => ab.map((row) => b[n][0].map((_, j) => row.reduce((s, v, k) => s + v * b[n][k][j], 0))));
}

const transpose = (m: number[][][]) => m.map((x) => x[0].map((_, j) => x.map((row) => row[j])));
const values = (shape: number[], seed: number) =>
  tf.tidy(() => tf.randomUniform(shape, -1, 1, 'float32', seed).arraySync() as number[][][]);

describe('BatchMatMul on wasm', () => {
  test.each([
    [false, false], [false, true], [true, false], [true, true],
  ])('transposeA %p, transposeB %p: batched [3, 5, 7] @ [3, 7, 4] matches the definition', (ta, tb) => {
    const a = values([3, 5, 7], 1);
    const b = values([3, 7, 4], 2);
    const expected = naiveMatMul(a, b);
    const aIn = ta ? transpose(a) : a;
    const bIn = tb ? transpose(b) : b;
    const got = tf.tidy(() => tf.matMul(tf.tensor3d(aIn), tf.tensor3d(bIn), ta, tb).arraySync());
    expectClose(got, expected, 1e-5);
  });

  test('2-D scores a @ bᵀ (the contrastive logits) and a broadcast batch', () => {
    const a = values([1, 6, 3], 3);
    const b = values([1, 8, 3], 4);
    const got = tf.tidy(() => tf.matMul(tf.tensor2d(a[0]), tf.tensor2d(b[0]), false, true).arraySync());
    expectClose(got, naiveMatMul(a, transpose(b))[0], 1e-5);
    const batched = values([2, 6, 3], 5);
    const broadcast = tf.tidy(() => tf.matMul(tf.tensor3d(batched), tf.tensor3d(b), false, true).arraySync());
    expectClose(broadcast, naiveMatMul(batched, [transpose(b)[0], transpose(b)[0]]), 1e-5);
  });

  test('frees its transposed copies', () => {
    const a = tf.randomUniform([8, 16]);
    const b = tf.randomUniform([12, 8]);
    tf.dispose(tf.matMul(a, b, true, true));
    const buffers = () => tf.engine().backend.numDataIds(); // the backend's own count, temporaries included
    const before = buffers();
    for (let i = 0; i < 5; i++) tf.dispose(tf.matMul(a, b, true, true));
    expect(buffers()).toBe(before);
    tf.dispose([a, b]);
  });
});
