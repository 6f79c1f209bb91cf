import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { leakedTensors, useTestBackend } from '../test-helpers';
import { positiveAccuracy } from './positive-accuracy';

interface LossCase { name: string; logits: number[][]; positiveIndex: number[]; accuracy: number }
const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../test/fixtures/losses-reference.json'), 'utf8'),
) as { cases: LossCase[]; cosine: { cases: LossCase[] } };

const idx = (p: number[]) => tf.tensor1d(p, 'int32');

beforeAll(async () => {
  await useTestBackend();
});

describe('positiveAccuracy', () => {
  it.each([...fixture.cases, ...fixture.cosine.cases].map((c) => [c.name, c] as const))(
    'matches the numpy reference: %s',
    (_name, c) => {
      expect(positiveAccuracy(tf.tensor2d(c.logits), idx(c.positiveIndex)).dataSync()[0]).toBeCloseTo(c.accuracy, 6);
    },
  );

  it('counts rows whose argmax is the positive (hand-worked)', () => {
    // argmax per row: 1, 0, 2, 0 → rows 0 and 2 hit positives [1, 2, 2, 3] → 2/4
    const logits = tf.tensor2d([[0, 5, 1], [3, 2, 1], [0, 0, 9], [7, 1, 1]]);
    expect(positiveAccuracy(logits, idx([1, 2, 2, 1])).dataSync()[0]).toBeCloseTo(0.5, 6);
  });

  it('leaves no tensors behind', () => {
    const logits = tf.randomNormal([4, 7]) as tf.Tensor2D;
    const p = idx([0, 3, 6, 1]);
    expect(leakedTensors(() => tf.dispose(positiveAccuracy(logits, p)))).toBe(0);
    tf.dispose([logits, p]);
  });
});
