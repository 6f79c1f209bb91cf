import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { cosineScores } from '../scores/cosine-score';
import { leakedTensors, useTestBackend } from '../test-helpers';
import { infoNceLossDefinition, infoNceLoss, InfoNceLoss } from './infonce-loss';
import { expectClose } from '../test-helpers/expect-close';

interface LossCase {
  name: string; logits: number[][]; positiveIndex: number[]; infonce: number; infonceGrad: number[][];
  temperature?: number;
}
const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../test/fixtures/losses-reference.json'), 'utf8'),
) as { cases: LossCase[]; cosine: { anchors: number[][]; candidates: number[][]; cases: LossCase[] } };

const idx = (p: number[]) => tf.tensor1d(p, 'int32');

beforeAll(async () => {
  await useTestBackend();
});

describe('InfoNCE loss', () => {
  it.each([...fixture.cases, ...fixture.cosine.cases].map((c) => [c.name, c] as const))(
    'matches the numpy reference value and gradient: %s',
    (_name, c) => {
      const logits = tf.tensor2d(c.logits);
      expectClose(new InfoNceLoss().compute(logits, idx(c.positiveIndex)).dataSync()[0], c.infonce);
      const grad = tf.grad((s: tf.Tensor) => infoNceLoss(s as tf.Tensor2D, idx(c.positiveIndex)))(logits);
      expectClose(grad.arraySync(), c.infonceGrad);
    },
  );

  it('matches the reference on the cpu backend too (the portable log-softmax, not TensorFlow\'s op)', async () => {
    const backend = tf.getBackend();
    await tf.setBackend('cpu');
    try {
      for (const c of fixture.cases) {
        const logits = tf.tensor2d(c.logits);
        expectClose(infoNceLoss(logits, idx(c.positiveIndex)).dataSync()[0], c.infonce);
        expectClose(tf.grad((s: tf.Tensor) => infoNceLoss(s as tf.Tensor2D, idx(c.positiveIndex)))(logits).arraySync(), c.infonceGrad);
      }
    } finally {
      await tf.setBackend(backend);
    }
  });

  it.each(fixture.cosine.cases.map((c) => [c.temperature!, c] as const))(
    'matches the reference end to end from embeddings (cosine, temperature %p)',
    (temperature, c) => {
      const logits = cosineScores(tf.tensor2d(fixture.cosine.anchors), tf.tensor2d(fixture.cosine.candidates), temperature);
      expectClose(logits.arraySync(), c.logits);
      expectClose(infoNceLoss(logits, idx(c.positiveIndex)).dataSync()[0], c.infonce);
    },
  );

  it('gives a row whose positive index is out of range zero loss and zero gradient', () => {
    // Row 1's index 7 selects no column (tf.oneHot gives a zero row), so the loss is row 0's
    // alone, halved: -log softmax([1, 0])_0 / 2; its gradient is (softmax - onehot) / 2 on
    // row 0 and exactly zero on row 1 (the hand-written gradient scales softmax by the mask's
    // row sum for this).
    const logits = tf.tensor2d([[1, 0], [3, -2]]);
    const f = (s: tf.Tensor) => infoNceLoss(s as tf.Tensor2D, idx([0, 7]));
    expectClose(f(logits).dataSync()[0], Math.log(1 + Math.exp(-1)) / 2);
    const p0 = Math.exp(1) / (Math.exp(1) + 1);
    expectClose(tf.grad(f)(logits).arraySync(), [[(p0 - 1) / 2, (1 - p0) / 2], [0, 0]]);
  });

  it('computes a hand-worked 2x2 case', () => {
    // logits [[1,0],[0,1]], positives on the diagonal. Each row:
    //   -log(e¹ / (e¹ + e⁰)) = log(1 + e⁻¹) ≈ 0.3132617
    // and the mean of two equal rows is the same value.
    const loss = infoNceLoss(tf.tensor2d([[1, 0], [0, 1]]), idx([0, 1]));
    expectClose(loss.dataSync()[0], Math.log(1 + Math.exp(-1)));
    expectClose(loss.dataSync()[0], 0.3132617);
  });

  it('equals log(M) for constant logits', () => {
    expectClose(infoNceLoss(tf.fill([3, 5], 2.5) as tf.Tensor2D, idx([4, 0, 2])).dataSync()[0], Math.log(5));
  });

  it('decreases when the positive logit increases', () => {
    const base = [[0.3, 1.2, -0.5, 0.9], [2.0, -1.0, 0.1, 0.4]];
    const positives = [2, 0];
    let previous = Infinity;
    for (const bump of [-2, -1, 0, 1, 2, 4]) {
      const logits = base.map((row, i) => row.map((v, j) => (j === positives[i] ? v + bump : v)));
      const loss = infoNceLoss(tf.tensor2d(logits), idx(positives)).dataSync()[0];
      expect(loss).toBeLessThan(previous);
      previous = loss;
    }
  });

  it('is invariant to adding a constant to a row', () => {
    const logits = tf.tensor2d(fixture.cases[1].logits);
    const shifted = tf.add(logits, tf.tensor2d([[100], [-40], [3]])) as tf.Tensor2D;
    const p = idx(fixture.cases[1].positiveIndex);
    expectClose(infoNceLoss(shifted, p).dataSync()[0], infoNceLoss(logits, p).dataSync()[0], 1e-5);
  });

  it('is finite for huge logits and accepts float32 indices', () => {
    const loss = infoNceLoss(tf.tensor2d([[1e4, -1e4], [-1e4, 1e4]]), tf.tensor1d([1, 0]));
    expectClose(loss.dataSync()[0], 2e4);
  });

  it('rejects badly shaped inputs', () => {
    expect(() => infoNceLoss(tf.zeros([2, 3]) as tf.Tensor2D, idx([0, 1, 2]))).toThrow(/positiveIndex must be \[2\]/);
    expect(() => infoNceLoss(tf.zeros([6]) as unknown as tf.Tensor2D, idx([0]))).toThrow(/\[N, M\]/);
  });

  it('leaves no tensors behind (value and gradient)', () => {
    const logits = tf.randomNormal([4, 7]) as tf.Tensor2D;
    const p = idx([0, 3, 6, 1]);
    expect(leakedTensors(() => tf.dispose(infoNceLoss(logits, p)))).toBe(0);
    expect(leakedTensors(() => tf.dispose(tf.grad((s: tf.Tensor) => infoNceLoss(s as tf.Tensor2D, p))(logits)))).toBe(0);
    tf.dispose([logits, p]);
  });

  it('is built by its definition', () => {
    expect(infoNceLossDefinition.create({} as never, {} as never)).toBeInstanceOf(InfoNceLoss);
  });
});
