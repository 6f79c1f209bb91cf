import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { leakedTensors, useTestBackend } from '../test-helpers';
import { nceLossDefinition, nceLoss, NceLoss } from './nce-loss';
import { expectClose } from '../test-helpers/expect-close';

interface LossCase { name: string; logits: number[][]; positiveIndex: number[]; nce: number; nceGrad: number[][] }
const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../test/fixtures/losses-reference.json'), 'utf8'),
) as { cases: LossCase[]; cosine: { cases: LossCase[] } };

const idx = (p: number[]) => tf.tensor1d(p, 'int32');
const softplus = (x: number) => Math.log1p(Math.exp(x));

beforeAll(async () => {
  await useTestBackend();
});

describe('binary NCE loss', () => {
  it.each([...fixture.cases, ...fixture.cosine.cases].map((c) => [c.name, c] as const))(
    'matches the numpy reference value and gradient: %s',
    (_name, c) => {
      const logits = tf.tensor2d(c.logits);
      expectClose(new NceLoss().compute(logits, idx(c.positiveIndex)).dataSync()[0], c.nce);
      const grad = tf.grad((s: tf.Tensor) => nceLoss(s as tf.Tensor2D, idx(c.positiveIndex)))(logits);
      expectClose(grad.arraySync(), c.nceGrad);
    },
  );

  it('computes a hand-worked case', () => {
    // One row [2, 0, -1], positive column 0, two negatives:
    //   softplus(-2) + (softplus(0) + softplus(-1)) / 2
    //   = log(1+e⁻²) + (log 2 + log(1+e⁻¹)) / 2 ≈ 0.126928 + (0.693147 + 0.313262)/2 ≈ 0.630133
    const loss = nceLoss(tf.tensor2d([[2, 0, -1]]), idx([0]));
    expectClose(loss.dataSync()[0], softplus(-2) + (softplus(0) + softplus(-1)) / 2);
    expectClose(loss.dataSync()[0], 0.630133);
  });

  it('averages (not sums) the negatives: zero logits give 2·log 2 for any M', () => {
    for (const m of [2, 5, 17]) {
      expectClose(nceLoss(tf.zeros([3, m]) as tf.Tensor2D, idx([0, 1, 1])).dataSync()[0], 2 * Math.log(2));
    }
  });

  it('decreases when the positive logit increases and when a negative decreases', () => {
    const row = [0.5, -0.2, 1.1, 0.0];
    const at = (r: number[]) => nceLoss(tf.tensor2d([r]), idx([1])).dataSync()[0];
    expect(at([0.5, 0.8, 1.1, 0.0])).toBeLessThan(at(row));
    expect(at([0.5, -0.2, -1.1, 0.0])).toBeLessThan(at(row));
  });

  it('is finite with finite gradients for huge logits', () => {
    const logits = tf.tensor2d([[1e4, -1e4, 50], [-1e4, 1e4, -50]]);
    const p = idx([1, 0]);
    // Row 0 (positive -1e4): softplus(1e4) + (softplus(1e4) + softplus(50))/2 ≈ 1e4 + 5025
    // Row 1 (positive -1e4): softplus(1e4) + (softplus(1e4) + softplus(-50))/2 ≈ 1e4 + 5000
    expectClose(nceLoss(logits, p).dataSync()[0], (15025 + 15000) / 2, 1e-5);
    const grad = tf.grad((s: tf.Tensor) => nceLoss(s as tf.Tensor2D, p))(logits);
    expect(Array.from(grad.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('needs at least one negative column', () => {
    expect(() => nceLoss(tf.zeros([2, 1]) as tf.Tensor2D, idx([0, 0]))).toThrow(/at least 2 columns/);
  });

  it('leaves no tensors behind (value and gradient)', () => {
    const logits = tf.randomNormal([4, 7]) as tf.Tensor2D;
    const p = idx([0, 3, 6, 1]);
    expect(leakedTensors(() => tf.dispose(nceLoss(logits, p)))).toBe(0);
    expect(leakedTensors(() => tf.dispose(tf.grad((s: tf.Tensor) => nceLoss(s as tf.Tensor2D, p))(logits)))).toBe(0);
    tf.dispose([logits, p]);
  });

  it('is built by its definition', () => {
    expect(nceLossDefinition.create({} as never, {} as never)).toBeInstanceOf(NceLoss);
  });
});
