import * as tf from '@tensorflow/tfjs';
import { ConvNetEncoder, ResNetMiniEncoder, SeededRng, type Images } from '@contrastive/framework';
import { buildMethod, expectClose, useTestBackend } from '../test-helpers';
import { encodeInGroups, encodeShuffled, groupSizes, hasBatchNorm, randomPermutation } from './batch-norm-groups';
import type { MocoMethod } from './moco-method';

/** Stands in for a batch-normalised encoder: each row minus the mean of the rows it was given. */
const centre = (x: Images): tf.Tensor2D => tf.tidy(() => {
  const flat = tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D;
  return tf.sub(flat, tf.mean(flat, 0, true));
});

/** Rows of distinct values: row i of x is [i * 10 + j]. */
const rows = (n: number) => tf.tensor4d(Array.from({ length: n }, (_, i) => [[[i * 10], [i * 10 + 1]]]));

describe('batch-norm groups', () => {
  beforeAll(useTestBackend);

  it('splits a batch into near-equal consecutive groups', () => {
    expect(groupSizes(10, 4)).toEqual([3, 3, 2, 2]);
    expect(groupSizes(8, 4)).toEqual([2, 2, 2, 2]);
  });

  it('normalises each group with its own statistics', () => {
    const x = rows(5);
    const out = encodeInGroups(x, 2, centre).arraySync();
    // groups [0, 1, 2] and [3, 4]: means 10 (11) and 35 (36)
    expectClose(out, [[-10, -10], [0, 0], [10, 10], [-5, -5], [5, 5]], 1e-6);
    x.dispose();
  });

  it('shuffling BN: row i encodes x[i], normalised with the group x[i] was shuffled into', () => {
    const x = rows(8);
    const out = encodeShuffled(x, 2, new SeededRng(11), centre).arraySync();
    const { order } = randomPermutation(8, new SeededRng(11));
    const groupOf = (i: number) => (order.indexOf(i) < 4 ? 0 : 1);
    const groupMean = (g: number) => Array.from(order.slice(g * 4, g * 4 + 4)).reduce((a, i) => a + i * 10, 0) / 4;
    const expected = Array.from({ length: 8 }, (_, i) => [i * 10 - groupMean(groupOf(i)), i * 10 + 1 - (groupMean(groupOf(i)) + 1)]);
    expectClose(out, expected, 1e-5);
    // ...which is not what unshuffled groups give (the shuffle did move examples across groups)
    expect(out).not.toEqual(encodeInGroups(x, 2, centre).arraySync());
    x.dispose();
  });

  it('leaves per-example encoders unchanged by shuffling and grouping', () => {
    const x = rows(6);
    const flat = (b: Images) => tf.reshape(b, [b.shape[0], -1]) as tf.Tensor2D;
    expectClose(encodeShuffled(x, 3, new SeededRng(1), flat).arraySync(), flat(x).arraySync(), 0);
    x.dispose();
  });

  it('draws permutations whose inverse undoes them', () => {
    const { order, inverse } = randomPermutation(9, new SeededRng(3));
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    order.forEach((from, to) => expect(inverse[from]).toBe(to));
  });

  it('recognises encoders with batch norm', () => {
    const resnet = new ResNetMiniEncoder([8, 8, 1], { stemWidth: 4, widths: [4], embeddingDim: 4 }, new SeededRng(1));
    const convnet = new ConvNetEncoder([8, 8, 1], { channels: [4], embeddingDim: 4 }, new SeededRng(1));
    expect(hasBatchNorm(resnet)).toBe(true);
    expect(hasBatchNorm(convnet)).toBe(false);
    resnet.dispose();
    convnet.dispose();
  });

  it('changes MoCo\'s loss with a batch-norm encoder, and only then', () => {
    const lossWith = (batchNorm: string, encoder: Record<string, unknown>) => {
      const method = buildMethod<MocoMethod>({
        method: { use: 'moco', queueSize: 16, batchNorm, batchNormGroups: 2, projectionHead: 'none' },
        encoder, positives: { use: 'fixed-flip' }, augment: [],
      }, [8, 8, 1]);
      const x = tf.randomUniform([8, 8, 8, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
      const out = method.loss(x, { step: 0, totalSteps: 1, rng: new SeededRng(2) });
      const value = out.loss.dataSync()[0];
      tf.dispose([x, out.loss, ...Object.values(out.metrics)]);
      method.dispose();
      return value;
    };
    const resnet = { use: 'resnet-mini', stemWidth: 4, widths: [4, 8], embeddingDim: 6 };
    const [global, split, shuffle] = ['global', 'split', 'shuffle'].map((m) => lossWith(m, resnet));
    expect(Math.abs(split - global)).toBeGreaterThan(1e-4);
    expect(Math.abs(shuffle - split)).toBeGreaterThan(1e-4);
    const convnet = { use: 'convnet', channels: [4, 8], embeddingDim: 6 };
    expect(lossWith('shuffle', convnet)).toBeCloseTo(lossWith('global', convnet), 5);
  });
});
