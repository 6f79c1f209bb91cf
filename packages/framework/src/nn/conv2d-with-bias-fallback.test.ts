import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { expectClose } from '../test-helpers/expect-close';
import { SeededRng } from '../util/rng';
import { Conv2d } from './conv2d';
import { CONV2D_WITH_BIAS_KERNEL, conv2dWithBias } from './conv2d-with-bias';
import { VariableStore } from './variable-store';

// Its own test file: the check runs once per backend, so nothing may have used it before.
test('a TensorFlow whose oneDNN op fails leaves Conv2d on conv2d + add, with the same values', async () => {
  await selectBackend('tensorflow');
  const backend = tf.backend() as unknown as { executeSingleOutput(name: string, ...rest: unknown[]): tf.Tensor };
  const original = backend.executeSingleOutput.bind(backend);
  const spy = jest.spyOn(backend, 'executeSingleOutput').mockImplementation((name: string, ...rest: unknown[]) => {
    if (name === '_MklNativeConv2DWithBias') throw new Error('No registered OpKernel (simulated TensorFlow without oneDNN)');
    return original(name, ...rest);
  });
  try {
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 6) as tf.Tensor4D;
    expect(conv2dWithBias(x, tf.ones([3, 3, 1, 2]) as tf.Tensor4D, tf.ones([2]) as tf.Tensor1D, 2, 'linear')).toBeNull();
    const layer = new Conv2d(new VariableStore('t', new SeededRng(5)), 'conv', { inChannels: 1, outChannels: 4, stride: 2 });
    const kernels = (await tf.profile(() => { tf.tidy(() => { layer.apply(x, 'relu'); }); })).kernels.map((k) => k.name);
    expect(kernels).not.toContain(CONV2D_WITH_BIAS_KERNEL);
    expect(kernels).toContain('Conv2D');
    const expected = tf.relu(tf.add(tf.conv2d(x, layer.kernel as tf.Tensor4D, 2, 'same'), layer.bias!));
    expectClose(layer.apply(x, 'relu').arraySync(), expected.arraySync(), 1e-5);
  } finally {
    spy.mockRestore();
  }
});
