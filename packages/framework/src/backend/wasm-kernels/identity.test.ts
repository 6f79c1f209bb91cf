import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './register-wasm-kernels';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

describe('Identity (tf.clone) on wasm', () => {
  test('shares the input buffer, and the clone outlives its input', () => {
    const x = tf.tensor2d([[1.5, -2], [3, 4.25]]);
    const buffers = tf.memory().numDataBuffers;
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    expect(tf.memory().numDataBuffers).toBe(buffers); // no copy
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1.5, -2, 3, 4.25]);
    y.dispose();
    expect(tf.memory().numDataBuffers).toBe(buffers - 1); // freed with its last reference
  });

  test('what a custom gradient saves survives the forward scope, with no buffer left after', () => {
    const f = tf.customGrad((x, save) => {
      const y = tf.square(x as tf.Tensor);
      (save as tf.GradSaveFunc)([y]);
      return { value: y, gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(dy, saved) };
    });
    const x = tf.tensor1d([1, 2, 3]);
    const before = tf.memory();
    const g = tf.grad((t: tf.Tensor) => tf.sum(f(t) as tf.Tensor))(x);
    expect(Array.from(g.dataSync())).toEqual([1, 4, 9]); // dy · y with dy = 1
    g.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    x.dispose();
  });

  test('strings keep the backend\'s own kernel', () => {
    const s = tf.tensor1d(['a', 'bc']);
    const c = tf.clone(s);
    s.dispose();
    expect(c.dataSync()).toEqual(['a', 'bc']);
    c.dispose();
  });
});
