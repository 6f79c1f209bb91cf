import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { BuildContext } from '../registry/component-definition';
import { leakedTensors, useTestBackend } from '../test-helpers';
import { SeededRng } from '../util/rng';
import { bilinearScoreDefinition, bilinearScores, BilinearScore, resolveBilinearDim } from './bilinear-score';
import { expectClose } from '../test-helpers/expect-close';

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../test/fixtures/scores-reference.json'), 'utf8'),
) as { anchors: number[][]; candidates: number[][]; weight: number[][]; bilinear: number[][] };

/** Runs `fn` with a fresh BilinearScore and always disposes it afterwards. */
function withScore(dim: number, seed: number, fn: (s: BilinearScore) => void): void {
  const s = new BilinearScore(dim, new SeededRng(seed));
  try {
    fn(s);
  } finally {
    s.dispose();
  }
}

function fakeContext(encoder: Record<string, unknown>): BuildContext {
  return { rng: new SeededRng(3), slots: { encoder: { use: 'test', ...encoder } } } as unknown as BuildContext;
}

beforeAll(async () => {
  await useTestBackend();
});

describe('bilinear score', () => {
  it('matches the numpy reference (pure function and with W assigned)', () => {
    const a = tf.tensor2d(fixture.anchors);
    const c = tf.tensor2d(fixture.candidates);
    expectClose(bilinearScores(a, c, tf.tensor2d(fixture.weight)).arraySync(), fixture.bilinear);
    withScore(4, 1, (s) => {
      s.weight.assign(tf.tensor2d(fixture.weight));
      expectClose(s.score(a, c).arraySync(), fixture.bilinear);
    });
  });

  it('computes a hand-worked case', () => {
    // W = [[0,1],[2,0]]: aᵀWc = a0·c1 + 2·a1·c0; a = [1,1], c = [3,5] → 5 + 6 = 11
    const logits = bilinearScores(tf.tensor2d([[1, 1]]), tf.tensor2d([[3, 5]]), tf.tensor2d([[0, 1], [2, 0]]));
    expectClose(logits.arraySync(), [[11]]);
  });

  it('starts near the identity, reproducibly from the seed, as one named trainable variable', () => {
    withScore(8, 42, (s) => {
      const w = s.weight.arraySync() as number[][];
      const maxDev = Math.max(...w.flatMap((row, i) => row.map((v, j) => Math.abs(v - (i === j ? 1 : 0)))));
      expect(maxDev).toBeGreaterThan(0);
      expect(maxDev).toBeLessThan(0.06);
      expect([...s.namedVariables().keys()]).toEqual(['score/bilinear/W']);
      expect(s.trainableVariables()).toEqual([s.weight]);
      const first = s.weight.arraySync();
      s.dispose();
      withScore(8, 42, (again) => expect(again.weight.arraySync()).toEqual(first));
    });
  });

  it('passes gradients to W', () => {
    withScore(3, 7, (s) => {
      const a = tf.randomNormal([2, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
      const c = tf.randomNormal([4, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
      const { grads } = tf.variableGrads(() => tf.sum(s.score(a, c)) as tf.Scalar, s.trainableVariables());
      // d/dW Σ_ij a_iᵀ W c_j = (Σ_i a_i)(Σ_j c_j)ᵀ
      const expected = tf.outerProduct(tf.sum(a, 0) as tf.Tensor1D, tf.sum(c, 0) as tf.Tensor1D);
      expectClose(grads[s.weight.name].arraySync(), expected.arraySync());
    });
  });

  it('takes its size from dim, else the encoder spec, else 128', () => {
    expect(resolveBilinearDim({ dim: 5 }, fakeContext({ embeddingDim: 16 }))).toBe(5);
    expect(resolveBilinearDim({}, fakeContext({ embeddingDim: 16 }))).toBe(16);
    expect(resolveBilinearDim({}, fakeContext({}))).toBe(128);
    const built = bilinearScoreDefinition.create({}, fakeContext({ embeddingDim: 6 })) as BilinearScore;
    try {
      expect(built.weight.shape).toEqual([6, 6]);
    } finally {
      built.dispose();
    }
  });

  it('explains a dimension mismatch', () => {
    withScore(4, 1, (s) => {
      expect(() => s.score(tf.ones([2, 3]) as tf.Tensor2D, tf.ones([2, 3]) as tf.Tensor2D)).toThrow(/"dim" option.*3/);
    });
  });

  it('leaves no tensors behind, and dispose frees W', () => {
    const a = tf.randomNormal([3, 4]) as tf.Tensor2D;
    const c = tf.randomNormal([5, 4]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    withScore(4, 9, (s) => {
      expect(leakedTensors(() => tf.dispose(s.score(a, c)))).toBe(0);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, c]);
  });
});
