import * as tf from '@tensorflow/tfjs';
import { createBuildContext, createRegistry, SeededRng, UserInputError, type Images, type Method } from '@contrastive/framework';
import { useTestBackend } from '../test-helpers/use-test-backend';
import { extractFeatures, pixelFeatures } from './extract-features';
import { representationFunction, representationNames } from './representation';

beforeAll(useTestBackend);

function convnet() {
  const registry = createRegistry();
  const slots = { encoder: { use: 'convnet' }, positives: { use: 'two-views' }, negatives: { use: 'in-batch' }, score: { use: 'cosine' }, loss: { use: 'infonce' }, augment: [] };
  const ctx = createBuildContext(registry, { rng: new SeededRng(1), inputShape: [8, 8, 1], baseDir: '.', slots });
  return ctx.build('encoder', { use: 'convnet', channels: [4, 6], embeddingDim: 5 });
}

const dataset = (count: number) => ({
  name: 'tiny', split: 'train' as const, shape: [8, 8, 1] as const, count, numClasses: 2,
  images: Float32Array.from({ length: count * 64 }, (_, i) => ((i * 37) % 101) / 101),
  labels: Int32Array.from({ length: count }, (_, i) => i % 2),
});

describe('representations', () => {
  it('global is the encoder output; a feature map is its global average pool', () => {
    const enc = convnet();
    const x = tf.tensor4d(dataset(3).images, [3, 8, 8, 1]);
    const out = enc.encode(x, { training: false, features: ['conv1'] });
    const expectedPool = tf.mean(out.features.conv1, [1, 2]);
    const g = representationFunction('global', enc)(x);
    const p = representationFunction('conv1', enc)(x);
    expect(g.shape).toEqual([3, 5]);
    expect(p.shape).toEqual([3, 6]);
    expect(tf.max(tf.abs(tf.sub(g, out.global))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(p, expectedPool))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([x, out.global, out.features.conv1, expectedPool, g, p]);
    enc.dispose();
  });

  it('an unknown name is a UserInputError naming the known representations', () => {
    const enc = convnet();
    expect(() => representationFunction('conv7', enc, null, 'eval.representation')).toThrow(UserInputError);
    expect(() => representationFunction('conv7', enc, null, 'eval.representation'))
      .toThrow('eval.representation: "conv7" is not a representation of the encoder; known representations: global, conv0, conv1');
    enc.dispose();
  });

  it('a method can add its own representations', () => {
    const enc = convnet();
    const method = {
      name: 'fake', encoder: enc, representationNames: ['context'],
      represent: (x: Images) => tf.ones([x.shape[0], 3]) as tf.Tensor2D,
    } as unknown as Method;
    expect(representationNames(enc, method)).toEqual(['global', 'conv0', 'conv1', 'context']);
    const x = tf.zeros([2, 8, 8, 1]) as tf.Tensor4D;
    const c = representationFunction('context', enc, method)(x);
    expect(c.arraySync()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(() => representationFunction('contxt', enc, method)).toThrow(/of the fake method and its encoder; known representations: global, conv0, conv1, context/);
    tf.dispose([x, c]);
    enc.dispose();
  });

  it('extractFeatures equals one big forward pass, batch by batch, without leaking', () => {
    const enc = convnet();
    const data = dataset(7);
    const fn = representationFunction('global', enc);
    const before = tf.memory().numTensors;
    const batched = extractFeatures(data, fn, 3);
    expect(tf.memory().numTensors).toBe(before + 1);
    const x = tf.tensor4d(data.images, [7, 8, 8, 1]);
    const whole = fn(x);
    expect(batched.shape).toEqual([7, 5]);
    expect(tf.max(tf.abs(tf.sub(batched, whole))).dataSync()[0]).toBeLessThan(1e-5);
    const pixels = pixelFeatures(data);
    expect(pixels.shape).toEqual([7, 64]);
    tf.dispose([batched, x, whole, pixels]);
    enc.dispose();
  });
});
