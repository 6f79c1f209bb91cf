import * as tf from '@tensorflow/tfjs';
import { leakedTensors, useTestBackend } from '../test-helpers';
import { SeededRng } from '../util/rng';
import { BatchNorm } from './batch-norm';
import { disableNativeBatchNorm, nativeBatchNorm } from './native-batch-norm';
import { VariableStore } from './variable-store';

beforeAll(async () => {
  await useTestBackend();
});

const EPS = 1e-5;
const values = (t: tf.Tensor) => Array.from(t.dataSync());

function expectClose(actual: number[], expected: number[], tol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

/** y = gamma (x - mean) / sqrt(var + eps) + beta with tf.moments: autodiff reference. */
function reference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, x.shape.slice(0, -1).map((_, i) => i));
  return tf.add(tf.mul(gamma, tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPS)))), beta);
}

describe.each([true, false])('BatchNorm (native kernels allowed: %s)', (native) => {
  let store: VariableStore;
  let bn: BatchNorm;
  beforeEach(() => {
    store = new VariableStore('t', new SeededRng(1));
    bn = new BatchNorm(store, 'bn', 1, { native });
  });
  afterEach(() => store.dispose());

  test('4x4 single-channel case: training, moving averages and eval match a hand computation', () => {
    bn.gamma.assign(tf.tensor1d([2]));
    bn.beta.assign(tf.tensor1d([1]));
    const xs = Array.from({ length: 16 }, (_, i) => i + 1);
    const x = tf.tensor4d(xs, [1, 4, 4, 1]);
    // Batch mean of 1..16 = 8.5; biased variance = (16² - 1) / 12 = 21.25; unbiased 21.25 * 16/15.
    const train = bn.apply(x, true);
    expectClose(values(train), xs.map((v) => (2 * (v - 8.5)) / Math.sqrt(21.25 + EPS) + 1));
    // moving = 0.9 * initial + 0.1 * batch, initial mean 0 and variance 1.
    const movingVar = 0.9 + 0.1 * ((21.25 * 16) / 15);
    expectClose(values(bn.movingMean), [0.85]);
    expectClose(values(bn.movingVariance), [movingVar]);
    const evalOut = bn.apply(x, false);
    expectClose(values(evalOut), xs.map((v) => (2 * (v - 0.85)) / Math.sqrt(movingVar + EPS) + 1));
    expectClose(values(bn.movingMean), [0.85]); // eval leaves the statistics alone
    tf.dispose([x, train, evalOut]);
  });

  test.each([[[6, 5, 5, 3]], [[8, 3]]])('gradients match autodiff of the formula, shape %j', (shape) => {
    const c = shape[shape.length - 1];
    const s = new VariableStore('g', new SeededRng(2));
    const layer = new BatchNorm(s, 'bn', c, { native });
    layer.gamma.assign(tf.tensor1d([1.5, -0.5, 2].slice(0, c)));
    layer.beta.assign(tf.tensor1d([0.1, 0.2, 0.3].slice(0, c)));
    tf.tidy(() => {
      const x = tf.variable(tf.randomNormal(shape, 1, 2, 'float32', 3), true);
      const w = tf.randomNormal(shape, 0, 1, 'float32', 4);
      const vars = [x, layer.gamma, layer.beta];
      const ours = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, true), w)) as tf.Scalar, vars);
      const ref = tf.variableGrads(() => tf.sum(tf.mul(reference(x, layer.gamma, layer.beta), w)) as tf.Scalar, vars);
      expectClose([ours.value.dataSync()[0]], [ref.value.dataSync()[0]], 1e-3);
      for (const v of vars) expectClose(values(ours.grads[v.name]), values(ref.grads[v.name]), 1e-3);
      x.dispose();
    });
    s.dispose();
  });

  test('moving statistics: non-trainable, updated inside a gradient tape, never given a gradient', () => {
    expect(bn.movingMean.trainable).toBe(false);
    expect(bn.movingVariance.trainable).toBe(false);
    expect(store.trainableVariables()).toEqual([bn.gamma, bn.beta]);
    const x = tf.randomNormal([4, 3, 3, 1], 5, 2, 'float32', 9) as tf.Tensor4D;
    const moving = [bn.movingMean, bn.movingVariance];
    // Marked trainable for this call only: a gradient reaching them would show up in `grads`.
    moving.forEach((v) => (v.trainable = true));
    const loss = () => tf.sum(tf.square(bn.apply(x, true))) as tf.Scalar;
    const { value, grads } = tf.variableGrads(loss, [...store.namedVariables().values()]);
    moving.forEach((v) => (v.trainable = false));
    expect(Object.keys(grads).sort()).toEqual([bn.beta.name, bn.gamma.name].sort());
    expect(bn.movingMean.dataSync()[0]).not.toBe(0);
    expect(bn.movingVariance.dataSync()[0]).not.toBe(1);
    tf.dispose([x, value, ...Object.values(grads)]);
  });

  test('no tensor leaks in a training pass, an eval pass or a gradient step', () => {
    const x = tf.randomNormal([4, 3, 3, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
    expect(leakedTensors(() => tf.tidy(() => { bn.apply(x, true); }))).toBe(0);
    expect(leakedTensors(() => tf.tidy(() => { bn.apply(x, false); }))).toBe(0);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(bn.apply(x, true))) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    expect(leakedTensors(step)).toBe(0);
    x.dispose();
  });
});

test('the native kernels are offered exactly when the tensorflow backend is active', () => {
  expect(nativeBatchNorm() !== null).toBe(tf.getBackend() === 'tensorflow');
});

// Last in this file: disabling is for the rest of the process (module).
test('once disabled, training falls back to the portable version', () => {
  const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  disableNativeBatchNorm('test');
  expect(nativeBatchNorm()).toBeNull();
  expect(warn).toHaveBeenCalledTimes(1);
  warn.mockRestore();
  const store = new VariableStore('t', new SeededRng(1));
  const bn = new BatchNorm(store, 'bn', 1);
  tf.tidy(() => expectClose(values(bn.apply(tf.tensor4d([1, 3], [2, 1, 1, 1]), true)), [-1, 1]));
  store.dispose();
});
