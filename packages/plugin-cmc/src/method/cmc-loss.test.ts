import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { CosineScore, InfoNceLoss } from '@contrastive/framework';
import { expectClose, leakedTensors, useTestBackend } from '../test-helpers';
import { cmcLoss } from './cmc-loss';
import { viewPairs } from './view-pairs';

/** Made by tools/reference/make_cmc_reference.py (numpy, float64). */
const reference = JSON.parse(fs.readFileSync(path.join(__dirname, '../../test/fixtures/cmc-reference.json'), 'utf8')) as {
  embeddings: Record<string, number[][]>;
  cases: { pairing: 'core' | 'full-graph'; temperature: number; loss: number }[];
};

describe('cmcLoss', () => {
  beforeAll(useTestBackend);

  it.each(reference.cases.map((c) => [c.pairing, c.temperature, c.loss]))(
    'equals the numpy reference over three views (%s, temperature %f)', (pairing, temperature, expected) => {
      const z = Object.fromEntries(Object.entries(reference.embeddings).map(([n, v]) => [n, tf.tensor2d(v)]));
      const target = tf.range(0, 4, 1, 'int32') as tf.Tensor1D;
      const pairs = viewPairs(Object.keys(z), pairing as 'core' | 'full-graph', 'A');
      const { loss, firstLogits } = cmcLoss(z, z, pairs, new CosineScore(temperature as number), new InfoNceLoss(), target);
      expectClose(loss.dataSync()[0], expected, 1e-5);
      expect(firstLogits.shape).toEqual([4, 4]);
      tf.dispose([...Object.values(z), target, loss, firstLogits]);
    });

  it('scores the reverse direction again when the score is not symmetric, with the same value for cosine', () => {
    const z = Object.fromEntries(Object.entries(reference.embeddings).map(([n, v]) => [n, tf.tensor2d(v)]));
    const target = tf.range(0, 4, 1, 'int32') as tf.Tensor1D;
    const cosine = new CosineScore(0.1);
    let calls = 0;
    const counting = { score: (a: tf.Tensor2D, c: tf.Tensor2D) => { calls++; return cosine.score(a, c); } };
    const pairs = viewPairs(['A', 'B', 'C'], 'full-graph');
    const slow = cmcLoss(z, z, pairs, counting, new InfoNceLoss(), target);
    const fast = cmcLoss(z, z, pairs, cosine, new InfoNceLoss(), target);
    expect(calls).toBe(6);
    expectClose(slow.loss.dataSync()[0], fast.loss.dataSync()[0], 1e-6);
    expect(leakedTensors(() => tf.tidy(() => { cmcLoss(z, z, pairs, cosine, new InfoNceLoss(), target); }))).toBe(0);
    tf.dispose([...Object.values(z), target, slow.loss, fast.loss, slow.firstLogits, fast.firstLogits]);
  });
});
