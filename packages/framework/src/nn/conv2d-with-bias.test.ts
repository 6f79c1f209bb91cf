import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { expectClose } from '../test-helpers/expect-close';
import { SeededRng } from '../util/rng';
import { Conv2d } from './conv2d';
import { CONV2D_WITH_BIAS_KERNEL, conv2dWithBias, type FusedActivation } from './conv2d-with-bias';
import { VariableStore } from './variable-store';

afterAll(async () => {
  await selectBackend('tensorflow');
});

/** activation(conv2d + bias) with tfjs's own ops and gradients: the independent path to compare with. */
const plain = (activation: FusedActivation) => (x: tf.Tensor4D, k: tf.Tensor4D, b: tf.Tensor1D, stride: number) => {
  const y = tf.add(tf.conv2d(x, k, stride, 'same'), b) as tf.Tensor4D;
  return activation === 'relu' ? tf.relu(y) : y;
};

// Both backends are part of this repository's test setup (`npm test` builds the native one first).
describe.each([
  ['tensorflow', ['linear']],
  ['wasm', ['linear', 'relu']],
] as const)('conv2d + bias in one kernel on %s', (backend, fused) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  test.each(fused.flatMap((activation) => [
    [activation, 1, [2, 5, 7, 3], 4],
    [activation, 2, [3, 9, 6, 2], 5],
    [activation, 2, [2, 28, 28, 1], 8],
  ] as const))('%s, stride %p, x %j: same values and gradients (x, filter, bias) as the plain ops', (activation, stride, xShape, cout) => {
    const x = tf.randomNormal([...xShape], 0, 1, 'float32', 1) as tf.Tensor4D;
    const k = tf.randomNormal([3, 3, xShape[3], cout], 0, 1, 'float32', 2) as tf.Tensor4D;
    const b = tf.randomNormal([cout], 0, 1, 'float32', 3) as tf.Tensor1D;
    const got = conv2dWithBias(x, k, b, stride, activation)!;
    expect(got).not.toBeNull();
    const want = plain(activation)(x, k, b, stride);
    expect(got.shape).toEqual(want.shape);
    expectClose(got.arraySync(), want.arraySync(), 1e-4);
    // A weighted sum, so every output element's gradient differs.
    const r = tf.randomNormal(want.shape, 0, 1, 'float32', 4);
    const gradsOf = (f: ReturnType<typeof plain>) => tf.grads((xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.mul(f(xx as tf.Tensor4D, kk as tf.Tensor4D, bb as tf.Tensor1D, stride), r)));
    const gotGrads = gradsOf((...a) => conv2dWithBias(...a, activation)!)([x, k, b]);
    const wantGrads = gradsOf(plain(activation))([x, k, b]);
    gotGrads.forEach((g, i) => expectClose(g.arraySync(), wantGrads[i].arraySync(), 1e-3));
    tf.dispose([x, k, b, got, want, r, ...gotGrads, ...wantGrads]);
  });

  test(`fuses exactly ${fused.join(' and ')} (the layer applies any other activation separately)`, () => {
    const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    const offered = (['linear', 'relu'] as const).filter((a) => {
      const y = conv2dWithBias(x, tf.ones([3, 3, 1, 2]) as tf.Tensor4D, tf.zeros([2]) as tf.Tensor1D, 1, a);
      y?.dispose();
      return y !== null;
    });
    expect(offered).toEqual(fused);
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
    expect(forward.includes('Relu')).toBe(!fused.includes('relu' as never));
    expect(training).toContain('Conv2DBackpropFilter');
    expect(training).not.toContain('Conv2DBackpropInput');
  });

  test('leaves no tensor or buffer behind (forward and gradients)', () => {
    const x = tf.ones([2, 6, 6, 2]) as tf.Tensor4D;
    const k = tf.ones([3, 3, 2, 3]) as tf.Tensor4D;
    const b = tf.ones([3]) as tf.Tensor1D;
    const before = tf.memory();
    for (let i = 0; i < 3; i++) {
      tf.dispose(tf.grads((xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(conv2dWithBias(xx as tf.Tensor4D, kk as tf.Tensor4D, bb as tf.Tensor1D, 2, fused[fused.length - 1])!))([x, k, b]));
    }
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    tf.dispose([x, k, b]);
  });
});

test('is not offered on the cpu backend (the layer falls back to conv2d + add)', async () => {
  await selectBackend('cpu');
  const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
  expect(conv2dWithBias(x, tf.ones([3, 3, 1, 2]) as tf.Tensor4D, tf.zeros([2]) as tf.Tensor1D, 1, 'linear')).toBeNull();
});
