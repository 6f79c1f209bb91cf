import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { InfoNceEstimator, softClip } from '@contrastive/framework';
import { expectClose, useTestBackend } from '../test-helpers';
import { comparisonLoss, multiscaleLoss, scaledDotScore, type Comparison } from './multiscale-loss';

interface Fixture {
  views: Record<string, number[][][][]>[];
  comparisons: Comparison[];
  cases: { clip: number; penaltyWeight: number; loss: number; perDirection: { from: string; to: string; direction: [number, number]; loss: number; penalty: number }[] }[];
}
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../../test/fixtures/amdim-reference.json'), 'utf8')) as Fixture;
const views = () => fixture.views.map((v) => Object.fromEntries(Object.entries(v).map(([k, t]) => [k, tf.tensor4d(t)]))) as
  [Record<string, tf.Tensor4D>, Record<string, tf.Tensor4D>];

beforeAll(async () => {
  await useTestBackend();
});

describe('AMDIM multiscale loss', () => {
  it.each(fixture.cases.map((c) => [c.clip, c.penaltyWeight, c] as const))('equals numpy (clip %p, penalty weight %p)', (clip, penaltyWeight, c) => {
    const v = views();
    const out = multiscaleLoss(v, fixture.comparisons, new InfoNceEstimator(), { clip, penaltyWeight });
    expectClose(out.loss.dataSync()[0], c.loss, 1e-5);
    for (const d of c.perDirection) {
      const one = comparisonLoss(v[d.direction[0]][d.from], v[d.direction[1]][d.to], new InfoNceEstimator(), { clip, penaltyWeight });
      expectClose(one.loss.dataSync()[0], d.loss, 1e-5);
      // The penalty term is mean(s²) of the raw (unclipped) scores.
      expectClose(one.penalty.dataSync()[0], d.penalty, 1e-5);
    }
  });

  it('clips every score into (-c, c)', () => {
    const v = views();
    for (const clip of [0.5, 1, 20]) {
      const raw = scaledDotScore(4).score(tf.reshape(v[0].s4, [12, 4]) as tf.Tensor2D, tf.reshape(tf.mul(v[1].s4, 100), [12, 4]) as tf.Tensor2D);
      const clipped = Array.from(softClip(raw, clip).dataSync());
      expect(Math.max(...Array.from(raw.dataSync()).map(Math.abs))).toBeGreaterThan(clip);
      for (const s of clipped) expect(Math.abs(s)).toBeLessThanOrEqual(clip);
      expect(clipped.filter((s) => Math.abs(s) < clip).length).toBeGreaterThan(0);
    }
  });

  it('each configured comparison contributes: removing one changes the loss and its gradient', () => {
    const v = views();
    const lossOf = (comparisons: Comparison[]) => (s4: tf.Tensor) =>
      multiscaleLoss([{ ...v[0], s4: s4 as tf.Tensor4D }, v[1]], comparisons, new InfoNceEstimator(), { clip: 20, penaltyWeight: 0.04 }).loss;
    const all = fixture.comparisons;
    const full = lossOf(all)(v[0].s4).dataSync()[0];
    const fullGrad = tf.grad(lossOf(all))(v[0].s4);
    all.forEach((_, i) => {
      const without = all.filter((__, k) => k !== i);
      expect(Math.abs(lossOf(without)(v[0].s4).dataSync()[0] - full)).toBeGreaterThan(1e-4);
      expect(tf.norm(tf.sub(tf.grad(lossOf(without))(v[0].s4), fullGrad)).dataSync()[0]).toBeGreaterThan(1e-6);
    });
  });
});
