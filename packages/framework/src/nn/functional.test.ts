import * as tf from '@tensorflow/tfjs';
import { leakedTensors, useTestBackend } from '../test-helpers';
import { globalAveragePool, relu, stopGradient } from './functional';
import { nativeFloatOp } from './native-float-op';

beforeAll(async () => {
  await useTestBackend();
});

test('globalAveragePool averages over height and width', () => {
  // [1, 2, 2, 2]: channel 0 = 1, 2, 3, 4; channel 1 = 10, 20, 30, 40.
  const x = tf.tensor4d([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
  const y = globalAveragePool(x);
  expect(y.shape).toEqual([1, 2]);
  expect(Array.from(y.dataSync())).toEqual([2.5, 25]);
  tf.dispose([x, y]);
});

test('globalAveragePool gradient: dy[b, c] / (H·W) at every position of [b, :, :, c]', () => {
  const x = tf.randomNormal([2, 3, 2, 2]) as tf.Tensor4D;
  const w = tf.tensor2d([[1, -2], [0.5, 4]]);
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(globalAveragePool(t as tf.Tensor4D), w)))(x);
  expect(g.shape).toEqual([2, 3, 2, 2]);
  const expected = [1, -2, 0.5, 4].map((v) => v / 6);
  Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[Math.floor(i / 12) * 2 + (i % 2)], 6));
  expect(leakedTensors(() => tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(globalAveragePool(t as tf.Tensor4D)))(x)))).toBe(0);
  tf.dispose([x, w, g]);
});

test('relu: values and gradient of tf.relu', () => {
  const x = tf.tensor1d([-2, -0.5, 0, 0.5, 3]);
  const y = relu(x);
  expect(Array.from(y.dataSync())).toEqual([0, 0, 0, 0.5, 3]);
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(relu(t), tf.tensor1d([1, 2, 3, 4, 5]))))(x);
  expect(Array.from(g.dataSync())).toEqual([0, 0, 0, 4, 5]);
  tf.dispose([x, y, g]);
});

test('native ReluGrad (the tensorflow backend\'s ReLU gradient) equals dy · sign(y), zeros included', async () => {
  const { selectBackend } = await import('../backend/select-backend');
  await selectBackend('tensorflow');
  const grad = nativeFloatOp('ReluGrad');
  expect(grad).not.toBeNull();
  const y = tf.relu(tf.tensor2d([[-1, 0, 2.5], [3, -0.5, 1e-7]]));
  const dy = tf.tensor2d([[7, 8, 9], [-1, 2, -3]]);
  expect(Array.from(grad!(dy, y).dataSync())).toEqual([0, 0, 9, -1, 0, -3]);
  tf.dispose([y, dy]);
});

test('native LogSoftmax equals tfjs\'s log-softmax over the last axis', async () => {
  const { selectBackend } = await import('../backend/select-backend');
  await selectBackend('tensorflow');
  const logSoftmax = nativeFloatOp('LogSoftmax');
  expect(logSoftmax).not.toBeNull();
  // Large and tied logits: both must subtract the row max before exponentiating.
  const x = tf.tensor2d([[1, 2, 3, 4], [1000, 1000, -1000, 0], [0.5, -0.25, 0, 7]]);
  const got = logSoftmax!(x).arraySync() as number[][];
  const want = tf.logSoftmax(x).arraySync() as number[][];
  got.flat().forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i], 5));
  expect(got[1][0]).toBeCloseTo(-Math.log(2), 6);
  expect(() => logSoftmax!(tf.tensor2d([[1, 2]], [1, 2], 'int32'))).toThrow(/float32 inputs expected/);
});

describe('stopGradient', () => {
  test('same values, no gradient through it', () => {
    const x = tf.tensor1d([1, 2, 3]);
    // d/dx sum(x * stop(x)) = stop(x) = x, not 2x.
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, stopGradient(t))))(x);
    expect(Array.from(g.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([x, g]);
  });

  test('no leak, and disposing the copy keeps the original', () => {
    const x = tf.tensor1d([4, 5]);
    expect(leakedTensors(() => tf.tidy(() => stopGradient(x).dataSync()))).toBe(0);
    const s = stopGradient(x);
    s.dispose();
    expect(Array.from(x.dataSync())).toEqual([4, 5]);
    x.dispose();
  });

  test('a variable read through it is not connected to the loss', () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const w = tf.variable(tf.tensor1d([3, 4]));
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(stopGradient(v), w)) as tf.Scalar, [v, w]);
    expect(Object.keys(grads)).toEqual([w.name]);
    expect(Array.from(grads[w.name].dataSync())).toEqual([1, 2]);
    tf.dispose([value, ...Object.values(grads), v, w]);
  });
});
