import * as tf from '@tensorflow/tfjs';
import { leakedTensors, useTestBackend } from '../test-helpers';
import { SeededRng } from '../util/rng';
import { Conv2d } from './conv2d';
import { Dense } from './dense';
import { VariableStore } from './variable-store';

beforeAll(async () => {
  await useTestBackend();
});

/** The 4x4 single-channel image 1..16, row-major, as [1, 4, 4, 1]. */
const ramp4x4 = () => tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);

describe('Conv2d', () => {
  test('3x3, stride 2, same padding, bias, relu: matches a hand computation', () => {
    const store = new VariableStore('t', new SeededRng(1));
    const conv = new Conv2d(store, 'c', { inChannels: 1, outChannels: 1, kernelSize: 3, stride: 2 });
    // Cross-correlation with K = [[0,1,0],[0,0,0],[0,0,2]]: out[p][q] = x[2p][2q+1] + 2 x[2p+2][2q+2].
    // 'same' with stride 2 on 4 -> 2 pads one row/column at the bottom/right only, so
    // x[r][c] = 4r + c + 1 and zero beyond index 3:
    //   out = [[2 + 2*11, 4 + 0], [10 + 0, 12 + 0]] = [[24, 4], [10, 12]]
    conv.kernel.assign(tf.tensor4d([0, 1, 0, 0, 0, 0, 0, 0, 2], [3, 3, 1, 1]));
    conv.bias!.assign(tf.tensor1d([-5]));
    const x = ramp4x4();
    const linear = conv.apply(x);
    expect(linear.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(linear.dataSync())).toEqual([19, -1, 5, 7]);
    expect(Array.from(conv.apply(x, 'relu').dataSync())).toEqual([19, 0, 5, 7]);
    tf.dispose([x, linear]);
    store.dispose();
  });

  test('shapes, names and He-normal initialisation', () => {
    const store = new VariableStore('enc', new SeededRng(2));
    const conv = new Conv2d(store, 'conv0', { inChannels: 16, outChannels: 64, stride: 2, bias: false });
    expect(conv.kernel.shape).toEqual([3, 3, 16, 64]);
    expect(conv.bias).toBeNull();
    expect([...store.namedVariables().keys()]).toEqual(['enc/conv0/kernel']);
    const std = tf.tidy(() => tf.moments(conv.kernel).variance.sqrt().dataSync()[0]);
    expect(std).toBeCloseTo(Math.sqrt(2 / (9 * 16)), 2);
    const y = tf.tidy(() => conv.apply(tf.zeros([2, 28, 28, 16])));
    expect(y.shape).toEqual([2, 14, 14, 64]);
    y.dispose();
    store.dispose();
  });

  test('relu gradient equals the one of tf.relu, and nothing leaks', () => {
    const store = new VariableStore('t', new SeededRng(3));
    const conv = new Conv2d(store, 'c', { inChannels: 2, outChannels: 3 });
    const x = tf.randomNormal([2, 5, 5, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
    const w = tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', 5);
    const ref = () => tf.sum(tf.mul(tf.relu(conv.apply(x)), w)) as tf.Scalar;
    const ours = () => tf.sum(tf.mul(conv.apply(x, 'relu'), w)) as tf.Scalar;
    tf.tidy(() => {
      const a = tf.variableGrads(ref).grads;
      const b = tf.variableGrads(ours).grads;
      for (const v of store.trainableVariables()) {
        expect(Array.from(b[v.name].dataSync())).toEqual(Array.from(a[v.name].dataSync()));
      }
    });
    const step = () => {
      const { value, grads } = tf.variableGrads(ours);
      tf.dispose([value, ...Object.values(grads)]);
    };
    expect(leakedTensors(step)).toBe(0);
    tf.dispose([x, w]);
    store.dispose();
  });
});

describe('Dense', () => {
  test('x W + b with relu: matches a hand computation', () => {
    const store = new VariableStore('t', new SeededRng(1));
    const fc = new Dense(store, 'fc', 2, 3);
    fc.kernel.assign(tf.tensor2d([[1, 2, 3], [4, 5, 6]]));
    fc.bias!.assign(tf.tensor1d([0.5, -20, 0]));
    const x = tf.tensor2d([[1, 2]]);
    const y = fc.apply(x); // [1 + 8, 2 + 10, 3 + 12] + b
    expect(Array.from(y.dataSync())).toEqual([9.5, -8, 15]);
    const r = fc.apply(x, 'relu');
    expect(Array.from(r.dataSync())).toEqual([9.5, 0, 15]);
    tf.dispose([x, y, r]);
    store.dispose();
  });

  test('Glorot-uniform kernel within bounds, zero bias, stable names, seeded', () => {
    const make = (seed: number) => {
      const store = new VariableStore('encoder', new SeededRng(seed));
      return { store, fc: new Dense(store, 'proj', 100, 50) };
    };
    const a = make(7);
    const b = make(7);
    const c = make(8);
    const limit = Math.sqrt(6 / 150);
    expect(a.fc.kernel.shape).toEqual([100, 50]);
    expect(tf.tidy(() => tf.max(tf.abs(a.fc.kernel)).dataSync()[0])).toBeLessThanOrEqual(limit);
    expect(Array.from(a.fc.bias!.dataSync()).every((v) => v === 0)).toBe(true);
    expect([...a.store.namedVariables().keys()]).toEqual(['encoder/proj/kernel', 'encoder/proj/bias']);
    expect(Array.from(b.fc.kernel.dataSync())).toEqual(Array.from(a.fc.kernel.dataSync()));
    expect(Array.from(c.fc.kernel.dataSync())).not.toEqual(Array.from(a.fc.kernel.dataSync()));
    for (const m of [a, b, c]) m.store.dispose();
  });
});
