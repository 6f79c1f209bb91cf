import * as tf from '@tensorflow/tfjs';
import { expectClose, useTestBackend } from '../test-helpers';
import { mocoLogits } from './moco-logits';

describe('mocoLogits', () => {
  beforeAll(useTestBackend);

  it('keeps each query\'s own key and the queue columns, divided by tau', () => {
    // 2 queries against [k0, k1, n0, n1, n2]: scores chosen by hand.
    const scores = tf.tensor2d([
      [0.9, 0.5, 0.1, 0.2, 0.3],
      [0.4, 0.8, -0.1, -0.2, -0.3],
    ]);
    const { logits, positiveIndex } = mocoLogits(scores, 0.5);
    expectClose(logits.arraySync(), [[1.8, 0.2, 0.4, 0.6], [1.6, -0.2, -0.4, -0.6]], 1e-6);
    expect(Array.from(positiveIndex.dataSync())).toEqual([0, 0]);
    expect(positiveIndex.dtype).toBe('int32');
    tf.dispose([scores, logits, positiveIndex]);
  });

  it('uses the other keys as negatives when there is no queue (M = N)', () => {
    const scores = tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const { logits, positiveIndex } = mocoLogits(scores, 2);
    expectClose(logits.arraySync(), [[0.5, 1, 1.5], [2, 2.5, 3], [3.5, 4, 4.5]], 1e-6);
    expect(Array.from(positiveIndex.dataSync())).toEqual([0, 1, 2]);
    tf.dispose([scores, logits, positiveIndex]);
  });

  it('passes gradients to the positive and the queue columns only', () => {
    const scores = tf.tensor2d([[0.9, 0.5, 0.1], [0.4, 0.8, -0.1]]);
    const g = tf.grad((s: tf.Tensor) => tf.sum(mocoLogits(s as tf.Tensor2D, 1).logits))(scores);
    expectClose(g.arraySync(), [[1, 0, 1], [0, 1, 1]], 1e-6);
    tf.dispose([scores, g]);
  });

  it('rejects a bad temperature and too few columns', () => {
    const scores = tf.zeros([3, 2]) as tf.Tensor2D;
    expect(() => mocoLogits(scores, 0)).toThrow('moco: temperature must be > 0, got 0');
    expect(() => mocoLogits(scores, 1)).toThrow('moco: expected scores [N, N + K] with the keys first, got [3, 2]');
    scores.dispose();
  });
});
