import * as tf from '@tensorflow/tfjs';
import { SeededRng } from '@contrastive/framework';
import { expectClose, useTestBackend } from '../test-helpers';
import { QueueNegatives } from './queue-negatives';

/** Rows [B, D] whose values name the row: key r has entries r + j / 4 (exact in float32). */
function numberedKeys(first: number, batch: number, dim: number): number[][] {
  return Array.from({ length: batch }, (_, i) => Array.from({ length: dim }, (__, j) => first + i + j / 4));
}

function rowsOf(queue: QueueNegatives): number[][] {
  const c = queue.contents();
  const rows = c.arraySync();
  c.dispose();
  return rows;
}

describe('QueueNegatives', () => {
  beforeAll(useTestBackend);

  it.each([
    ['K a multiple of B', 12, 4],
    ['K not a multiple of B', 10, 4],
    ['B larger than K', 5, 7],
    ['B equal to K', 6, 6],
  ])('holds exactly the last K keys, oldest first (%s: K=%i, B=%i)', (_label, size, batch) => {
    const dim = 3;
    const queue = new QueueNegatives({ size, dim, normalize: false }, new SeededRng(1));
    // A plain FIFO model of what the queue must hold, starting from its random rows.
    let expected = rowsOf(queue);
    let next = 100;
    for (let step = 0; step < 6; step++) {
      const rows = numberedKeys(next, batch, dim);
      next += batch;
      const keys = tf.tensor2d(rows);
      queue.afterStep(keys);
      keys.dispose();
      expected = [...expected, ...rows].slice(-size);
      expectClose(rowsOf(queue), expected, 0);
    }
    // After enough steps nothing of the initial rows is left: the last K keys exactly.
    expect(rowsOf(queue).map((r) => r[0])).toEqual(Array.from({ length: size }, (_, i) => next - size + i));
    queue.dispose();
  });

  it('stores L2-normalised keys when normalize is set', () => {
    const queue = new QueueNegatives({ size: 4, dim: 2, normalize: true }, new SeededRng(2));
    const keys = tf.tensor2d([[3, 4], [0, -2]]);
    queue.afterStep(keys);
    keys.dispose();
    expectClose(rowsOf(queue).slice(2), [[0.6, 0.8], [0, -1]], 1e-6);
    queue.dispose();
  });

  it('starts full of seeded random unit vectors', () => {
    const a = new QueueNegatives({ size: 6, dim: 5, normalize: true }, new SeededRng(3));
    const b = new QueueNegatives({ size: 6, dim: 5, normalize: true }, new SeededRng(3));
    const rows = rowsOf(a);
    expect(rows).toHaveLength(6);
    rows.forEach((r) => expect(Math.hypot(...r)).toBeCloseTo(1, 5));
    expect(rowsOf(b)).toEqual(rows);
    expect(new Set(rows.map((r) => r[0])).size).toBe(6);
    a.dispose();
    b.dispose();
  });

  it('returns the keys followed by the stored keys as candidates', () => {
    const queue = new QueueNegatives({ size: 3, dim: 2, normalize: false }, new SeededRng(4));
    const stored = rowsOf(queue);
    const keys = tf.tensor2d([[1, 2], [3, 4]]);
    const candidates = queue.candidates(keys);
    expect(candidates.shape).toEqual([5, 2]);
    expectClose(candidates.arraySync(), [[1, 2], [3, 4], ...stored], 0);
    tf.dispose([keys, candidates]);
    queue.dispose();
  });

  it('is one non-trainable variable named <prefix>/keys', () => {
    const queue = new QueueNegatives({ size: 7, dim: 2, normalize: true }, new SeededRng(5));
    expect(queue.trainableVariables()).toEqual([]);
    const named = queue.namedVariables();
    expect([...named.keys()]).toEqual(['queue/keys']);
    expect(named.get('queue/keys')!.shape).toEqual([7, 2]);
    expect(named.get('queue/keys')!.trainable).toBe(false);
    queue.dispose();
  });

  it('names the expected shape when the keys do not fit', () => {
    const queue = new QueueNegatives({ size: 3, dim: 4, normalize: true }, new SeededRng(6));
    const keys = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => queue.candidates(keys)).toThrow('queue.candidates: expected keys [B, 4] (the queue was built for dim 4), got [2, 3]');
    expect(() => queue.afterStep(keys)).toThrow(/queue.afterStep: expected keys \[B, 4\]/);
    keys.dispose();
    queue.dispose();
  });

  it('rejects sizes that are not positive integers', () => {
    expect(() => new QueueNegatives({ size: 0, dim: 2, normalize: true }, new SeededRng(7))).toThrow('queue: size must be an integer >= 1, got 0');
    expect(() => new QueueNegatives({ size: 2.5, dim: 2, normalize: true }, new SeededRng(7))).toThrow(/size must be an integer/);
  });

  it('keeps the tensor count flat across enqueues', () => {
    const queue = new QueueNegatives({ size: 10, dim: 3, normalize: true }, new SeededRng(8));
    const keys = tf.randomNormal([4, 3]) as tf.Tensor2D;
    queue.afterStep(keys);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      queue.afterStep(keys);
      tf.dispose(queue.candidates(keys));
    }
    expect(tf.memory().numTensors).toBe(before);
    keys.dispose();
    queue.dispose();
  });
});
