import * as tf from '@tensorflow/tfjs';
import { selectBackend } from './select-backend';

beforeAll(async () => {
  // The native backend is part of this repository's test setup (`npm test` builds it first).
  await selectBackend('tensorflow');
});

describe('Cast on the native backend', () => {
  test('a same-dtype cast shares the input buffer, and outlives the input', () => {
    const x = tf.tensor1d([1.5, -2.25, 3]);
    const y = tf.cast(x, 'float32');
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1.5, -2.25, 3]);
    y.dispose();
  });

  test('other casts still convert (TensorFlow\'s own kernel)', () => {
    const x = tf.tensor1d([1.7, -2.7, 0]);
    expect(Array.from(tf.cast(x, 'int32').dataSync())).toEqual([1, -2, 0]);
    expect(Array.from(tf.cast(x, 'bool').dataSync())).toEqual([1, 1, 0]);
    expect(tf.cast(tf.tensor1d([1, 2], 'int32'), 'float32').dtype).toBe('float32');
  });

  test('leaves no tensor or buffer behind', () => {
    const x = tf.ones([64, 64]);
    const before = tf.memory();
    for (let i = 0; i < 10; i++) tf.cast(x, 'float32').dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    x.dispose();
  });
});
