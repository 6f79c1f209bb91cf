import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { leakedTensors, useTestBackend } from '../test-helpers';
import { cosineScoreDefinition, cosineScores, CosineScore, l2Normalize } from './cosine-score';
import { expectClose } from '../test-helpers/expect-close';

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../test/fixtures/scores-reference.json'), 'utf8'),
) as { anchors: number[][]; candidates: number[][]; cosine: { temperature: number; logits: number[][] }[] };

beforeAll(async () => {
  await useTestBackend();
});

describe('cosine score', () => {
  it.each(fixture.cosine.map((c) => [c.temperature, c.logits] as const))(
    'matches the numpy reference at temperature %p',
    (temperature, expected) => {
      const logits = new CosineScore(temperature).score(tf.tensor2d(fixture.anchors), tf.tensor2d(fixture.candidates));
      expectClose(logits.arraySync(), expected);
    },
  );

  it('computes a hand-worked case', () => {
    // a = [1,0]; candidates [1,0], [0,2], [-3,0] have cosines 1, 0, -1; τ = 0.5 → 2, 0, -2
    // (up to the 1e-8 under the square root: 1/sqrt(1 + 1e-8) ≈ 1 - 5e-9).
    const logits = cosineScores(tf.tensor2d([[1, 0]]), tf.tensor2d([[1, 0], [0, 2], [-3, 0]]), 0.5);
    expectClose(logits.arraySync(), [[2, 0, -2]]);
  });

  it('is invariant to positive scaling of anchors and candidates', () => {
    const a = tf.tensor2d(fixture.anchors.slice(0, 3));
    const c = tf.tensor2d(fixture.candidates);
    const base = cosineScores(a, c, 0.1).arraySync();
    // Exact only while ‖x‖² ≫ ε = 1e-8 (the epsilon under the root), true at these scales.
    const scaled = cosineScores(tf.mul(a, 7.5) as tf.Tensor2D, tf.mul(c, 0.5) as tf.Tensor2D, 0.1).arraySync();
    expectClose(scaled, base, 1e-5);
  });

  it('is symmetric: score(a, c) = score(c, a)ᵀ', () => {
    const a = tf.tensor2d(fixture.anchors);
    const c = tf.tensor2d(fixture.candidates);
    expectClose(cosineScores(a, c, 0.1).arraySync(), tf.transpose(cosineScores(c, a, 0.1)).arraySync());
  });

  it('maps a zero vector to zero scores with finite gradients', () => {
    const zero = tf.zeros([1, 4]) as tf.Tensor2D;
    const c = tf.tensor2d(fixture.candidates);
    expectClose(cosineScores(zero, c, 0.1).arraySync(), [[0, 0, 0, 0, 0]]);
    const [ga, gc] = tf.grads((a: tf.Tensor, cc: tf.Tensor) =>
      tf.sum(cosineScores(a as tf.Tensor2D, cc as tf.Tensor2D, 0.1)),
    )([zero, c]);
    for (const g of [ga, gc]) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    // The gradient w.r.t. the zero row is (Σ_j ĉ_j) / (τ·√ε): finite and non-zero.
    expect(Math.max(...Array.from(ga.dataSync()).map(Math.abs))).toBeGreaterThan(0);
    const normGrad = tf.grad((x: tf.Tensor) => tf.sum(l2Normalize(x as tf.Tensor2D)))(tf.zeros([2, 3]));
    expect(Array.from(normGrad.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('l2Normalize\'s hand-written gradient equals central finite differences of its value', () => {
    // A weighted sum so that every output element matters, in float64 on the host.
    const x = [[0.3, -1.2, 0.8], [2.0, 0.1, -0.4], [1e-3, 0, 2e-3]];
    const w = [[0.7, -0.2, 1.1], [-0.5, 0.9, 0.3], [0.4, 0.6, -0.8]];
    const value = (m: number[][]) => m.reduce((acc, row, i) => {
      const r = 1 / Math.sqrt(row.reduce((s, v) => s + v * v, 0) + 1e-8);
      return acc + row.reduce((s, v, j) => s + w[i][j] * v * r, 0);
    }, 0);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(l2Normalize(t as tf.Tensor2D), tf.tensor2d(w))))(tf.tensor2d(x));
    const got = grad.arraySync() as number[][];
    const h = 1e-6;
    x.forEach((row, i) => row.forEach((_, j) => {
      const plus = x.map((r) => [...r]);
      const minus = x.map((r) => [...r]);
      plus[i][j] += h;
      minus[i][j] -= h;
      const numeric = (value(plus) - value(minus)) / (2 * h);
      expect(Math.abs(got[i][j] - numeric)).toBeLessThan(2e-3 * Math.max(1, Math.abs(numeric)));
    }));
  });

  it('rejects a non-positive temperature', () => {
    expect(() => new CosineScore(0)).toThrow(/temperature/);
    expect(() => cosineScores(tf.ones([1, 2]) as tf.Tensor2D, tf.ones([1, 2]) as tf.Tensor2D, -1)).toThrow(/temperature/);
  });

  it('leaves no tensors behind (forward and gradient)', () => {
    const a = tf.randomNormal([3, 4]) as tf.Tensor2D;
    const c = tf.randomNormal([6, 4]) as tf.Tensor2D;
    const score = new CosineScore(0.2);
    expect(leakedTensors(() => tf.dispose(score.score(a, c)))).toBe(0);
    expect(leakedTensors(() => tf.dispose(tf.grad((x: tf.Tensor) => tf.sum(score.score(x as tf.Tensor2D, c)))(a)))).toBe(0);
    tf.dispose([a, c]);
  });

  it('is built by its definition with the given temperature', () => {
    const score = cosineScoreDefinition.create({ temperature: 0.05 }, {} as never) as CosineScore;
    expect(score.temperature).toBe(0.05);
    expect((cosineScoreDefinition.schema.properties as Record<string, { default?: number }>).temperature.default).toBe(0.1);
  });
});
