import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { expectClose } from '../test-helpers/expect-close';
import { Conv2d } from './conv2d';
import { CONV2D_WITH_BIAS_KERNEL, nativeConv2dWithBias } from './native-conv-with-bias';
import { VariableStore } from './variable-store';
import { SeededRng } from '../util/rng';

beforeAll(async () => {
  // The native backend is part of this repository's test setup (`npm test` builds it first).
  await selectBackend('tensorflow');
});

afterAll(async () => {
  await tf.setBackend('tensorflow');
});

/** conv2d + bias with tfjs's own ops and gradients: the independent path to compare with. */
const plain = (x: tf.Tensor4D, k: tf.Tensor4D, b: tf.Tensor1D, stride: number) => tf.add(tf.conv2d(x, k, stride, 'same'), b) as tf.Tensor4D;

describe('conv2d + bias in one native kernel', () => {
  test.each([
    [1, [2, 5, 7, 3], 4],
    [2, [3, 9, 6, 2], 5],
    [2, [2, 28, 28, 1], 8],
  ] as const)('stride %p, x %j: same values and gradients (x, filter, bias) as conv2d + add', (stride, xShape, cout) => {
    const x = tf.randomNormal([...xShape], 0, 1, 'float32', 1) as tf.Tensor4D;
    const k = tf.randomNormal([3, 3, xShape[3], cout], 0, 1, 'float32', 2) as tf.Tensor4D;
    const b = tf.randomNormal([cout], 0, 1, 'float32', 3) as tf.Tensor1D;
    const fused = nativeConv2dWithBias(x, k, b, stride)!;
    expect(fused).not.toBeNull();
    const expected = plain(x, k, b, stride);
    expect(fused.shape).toEqual(expected.shape);
    expectClose(fused.arraySync(), expected.arraySync(), 1e-4);
    // A weighted sum, so every output element's gradient differs.
    const r = tf.randomNormal(expected.shape, 0, 1, 'float32', 4);
    const gradsOf = (f: typeof plain) => tf.grads((xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.mul(f(xx as tf.Tensor4D, kk as tf.Tensor4D, bb as tf.Tensor1D, stride), r)));
    const got = gradsOf((...a) => nativeConv2dWithBias(...a)!)([x, k, b]);
    const want = gradsOf(plain)([x, k, b]);
    got.forEach((g, i) => expectClose(g.arraySync(), want[i].arraySync(), 1e-3));
  });

  test('Conv2d runs it, and training the first layer computes no gradient for the images', async () => {
    const layer = new Conv2d(new VariableStore('t', new SeededRng(5)), 'conv', { inChannels: 1, outChannels: 4, stride: 2 });
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 6) as tf.Tensor4D;
    // tf.profile lists every kernel launched inside f.
    const kernelsOf = async (f: () => unknown) => (await tf.profile(() => { tf.tidy(() => { f(); }); })).kernels.map((k) => k.name);
    const forward = await kernelsOf(() => layer.apply(x, 'relu'));
    const training = await kernelsOf(() => tf.variableGrads(() => tf.sum(layer.apply(x, 'relu')) as tf.Scalar));
    expect(forward).toContain(CONV2D_WITH_BIAS_KERNEL);
    expect(forward).not.toContain('Add');
    expect(training).toContain('Conv2DBackpropFilter');
    expect(training).not.toContain('Conv2DBackpropInput');
  });

  test('leaves no tensor behind (forward and gradients)', () => {
    const x = tf.ones([2, 6, 6, 2]) as tf.Tensor4D;
    const k = tf.ones([3, 3, 2, 3]) as tf.Tensor4D;
    const b = tf.ones([3]) as tf.Tensor1D;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.dispose(tf.grads((xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(nativeConv2dWithBias(xx as tf.Tensor4D, kk as tf.Tensor4D, bb as tf.Tensor1D, 2)!))([x, k, b]));
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  test('is not offered on other backends (the layer falls back to conv2d + add)', async () => {
    await tf.setBackend('cpu');
    const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    expect(nativeConv2dWithBias(x, tf.ones([3, 3, 1, 2]) as tf.Tensor4D, tf.zeros([2]) as tf.Tensor1D, 1)).toBeNull();
    await tf.setBackend('tensorflow');
  });
});
