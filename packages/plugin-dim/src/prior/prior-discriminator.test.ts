import * as tf from '@tensorflow/tfjs';
import { SeededRng } from '@contrastive/framework';
import { buildMethod, expectClose, useTestBackend } from '../test-helpers';
import type { DimMethod } from '../method/dim-method';
import { gradientReversal } from './gradient-reversal';
import { PriorDiscriminator } from './prior-discriminator';

beforeAll(async () => {
  await useTestBackend();
});

describe('prior matching', () => {
  it('gradient reversal is the identity forward and negates the gradient', () => {
    const x = tf.tensor1d([1, -2, 3]);
    expect(gradientReversal(x).arraySync()).toEqual([1, -2, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(gradientReversal(v), tf.tensor1d([2, 3, 4]))))(x);
    expect(g.arraySync()).toEqual([-2, -3, -4]);
  });

  it('trains D on its cross-entropy and hands the encoder the opposite gradient', () => {
    const prior = new PriorDiscriminator(4, 8, new SeededRng(3));
    const y = tf.randomNormal([6, 4], 0, 1, 'float32', 5) as tf.Tensor2D;
    const seed = 11;
    const crossEntropy = (v: tf.Tensor2D) => tf.add(
      tf.mean(tf.softplus(tf.neg(prior.logits(tf.randomUniform([6, 4], 0, 1, 'float32', seed) as tf.Tensor2D)))),
      tf.mean(tf.softplus(prior.logits(tf.sigmoid(v))))) as tf.Scalar;
    expectClose(prior.loss(y, seed).dataSync()[0], crossEntropy(y).dataSync()[0], 1e-6);
    const reversed = tf.grad((v: tf.Tensor) => prior.loss(v as tf.Tensor2D, seed))(y);
    const plain = tf.grad((v: tf.Tensor) => crossEntropy(v as tf.Tensor2D))(y);
    expect(tf.norm(plain).dataSync()[0]).toBeGreaterThan(0);
    expectClose(reversed.arraySync(), tf.neg(plain).arraySync(), 1e-6);
    prior.dispose();
  });

  it('with gamma > 0 the method adds gamma times the prior loss and owns the discriminator', () => {
    const method = buildMethod<DimMethod>({
      method: { use: 'dim', layer: 'conv1', gamma: 0.5, priorUnits: 8 },
      encoder: { use: 'convnet', channels: [8, 16, 16], embeddingDim: 12 }, score: { use: 'dim-critic', units: 16 },
    }, [28, 28, 1]);
    expect([...method.namedVariables().keys()].filter((n) => n.startsWith('prior/')).length).toBe(6);
    const out = method.loss(tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 2) as tf.Tensor4D, { step: 0, rng: new SeededRng(1) });
    const [total, local, prior] = [out.loss, out.metrics.localLoss, out.metrics.priorLoss].map((t) => t.dataSync()[0]);
    expect(total).toBeCloseTo(local + 0.5 * prior, 4);
    method.dispose();
  });
});
