import * as tf from '@tensorflow/tfjs';
import { expectClose, useTestBackend } from '../test-helpers';
import { DotScore } from '../scores/dot-score';
import { sameImageLocationsMask, sameImageMask, scoreLocationsAgainstLocations } from './location-pairs';
import { softClip, squaredScorePenalty } from './score-regularizers';

beforeAll(async () => {
  await useTestBackend();
});

describe('locations against locations', () => {
  it('row r (image ⌊r/La⌋) and column j (image ⌊j/Lb⌋) are positive exactly when the images match', () => {
    const [b, la, lb] = [3, 2, 4];
    const mask = sameImageLocationsMask(b, la, lb).arraySync();
    expect(mask.length).toBe(b * la);
    mask.forEach((row, r) => row.forEach((v, j) => expect(v).toBe(Math.floor(r / la) === Math.floor(j / lb) ? 1 : 0)));
    expect(sameImageLocationsMask(b, 1, lb).arraySync()).toEqual(sameImageMask(b, lb).arraySync());
  });

  it('scores every location of one map against every location of the other', () => {
    const a = tf.randomNormal([2, 2, 1, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const c = tf.randomNormal([2, 1, 3, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const pairs = scoreLocationsAgainstLocations(new DotScore(), a, c);
    expect(pairs.scores.shape).toEqual([4, 6]);
    const av = a.arraySync();
    const cv = c.arraySync();
    // Row 3 = image 1 at (1, 0); column 4 = image 1 at (0, 1).
    const dot = av[1][1][0].reduce((s, v, k) => s + v * cv[1][0][1][k], 0);
    expectClose(pairs.scores.arraySync()[3][4], dot);
    expect(pairs.positives.arraySync()[3]).toEqual([0, 0, 0, 1, 1, 1]);
  });
});

describe('score regularisers', () => {
  it('softClip is c·tanh(s/c): within (-c, c), near s for small s', () => {
    const s = tf.tensor1d([-1000, -30, -1, 0, 0.5, 19, 25, 1e6]);
    const clipped = Array.from(softClip(s, 20).dataSync());
    clipped.forEach((v, i) => {
      // In float32, tanh rounds to exactly ±1 beyond |s/c| ≈ 9, so the bound is reached there.
      expect(Math.abs(v)).toBeLessThanOrEqual(20);
      if (Math.abs(s.dataSync()[i]) <= 5 * 20) expect(Math.abs(v)).toBeLessThan(20);
      expectClose(v, 20 * Math.tanh(s.dataSync()[i] / 20), 1e-6);
    });
    expectClose(clipped[3], 0);
    expectClose(clipped[4], 0.5, 1e-3);
    expect(() => softClip(s, 0)).toThrow('softClip: the clip value must be > 0, got 0');
  });

  it('squaredScorePenalty is the mean of the squares', () => {
    expectClose(squaredScorePenalty(tf.tensor2d([[1, -2], [3, 0]])).dataSync()[0], (1 + 4 + 9) / 4);
  });
});
