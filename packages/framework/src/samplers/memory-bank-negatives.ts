import * as tf from '@tensorflow/tfjs';
import type { NegativeSampler, Rng, StepContext } from '../contracts';
import { VariableStore } from '../nn/variable-store';
import { l2Normalize } from '../scores/cosine-score';

/** Options of a {@link MemoryBankNegatives}. */
export interface MemoryBankOptions {
  /** N: one entry per training example. */
  size: number;
  /** D: the size of the keys. */
  dim: number;
  /** m in v_i ← normalize(m v_i + (1 − m) z_i); the paper's 0.5. */
  momentum: number;
  /** K: bank entries sampled (uniformly, with replacement) as negatives per step. */
  negatives: number;
  /** Row i's positive: the current key z_i (`key`) or its bank entry v_i (`bank`, the paper's). */
  positive: 'key' | 'bank';
}

/**
 * A memory bank of one L2-normalised entry per training example (Wu et al. 2018,
 * arXiv:1805.01978; the negatives of CMC, Tian et al. 2019, arXiv:1906.05849, §3.3):
 *
 * - `candidates(keys, ctx)` returns [B + K, D]: rows 0..B−1 are the positives of the batch
 *   (the keys, or the bank entries of the batch's examples `ctx.exampleIndices`), then K
 *   entries sampled uniformly with `ctx.rng`. Row i's positive is column i; the other B − 1
 *   positives and the K samples are its negatives. The samples are shared by the batch (the
 *   paper draws K per anchor; sharing keeps the score one matrix product).
 * - `afterStep(keys, ctx)` updates only the batch's rows:
 *   v_i ← normalize(m v_i + (1 − m) normalize(z_i)), i ∈ exampleIndices.
 *
 * The bank is one non-trainable variable `<prefix>/entries` [N, D] (checkpointed; the samples
 * come from the run's RNG, so a resumed run draws what the uninterrupted one would).
 * It starts as seeded random unit vectors. Needs the batch's example indices: the trainer
 * sets `StepContext.exampleIndices`; a method must pass its context to the sampler.
 *
 * @example
 * ```yaml
 * negatives: { use: memory-bank, negatives: 4096, momentum: 0.5 }
 * ```
 */
export class MemoryBankNegatives implements NegativeSampler {
  readonly entries: tf.Variable;
  private readonly store: VariableStore;

  constructor(readonly options: MemoryBankOptions, rng: Rng, prefix = 'memory-bank') {
    const { size, dim, momentum, negatives } = options;
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`memory-bank: size must be an integer >= 1, got ${size}`);
    if (!(Number.isInteger(dim) && dim >= 1)) throw new Error(`memory-bank: dim must be an integer >= 1, got ${dim}`);
    if (!(momentum >= 0 && momentum <= 1)) throw new Error(`memory-bank: momentum must be in [0, 1], got ${momentum}`);
    if (!(Number.isInteger(negatives) && negatives >= 0)) throw new Error(`memory-bank: negatives must be an integer >= 0, got ${negatives}`);
    this.store = new VariableStore(prefix, rng);
    const initial = tf.tidy(() => l2Normalize(tf.randomNormal([size, dim], 0, 1, 'float32', rng.seed()) as tf.Tensor2D));
    this.entries = this.store.add('entries', initial, false);
  }

  /**
   * @param keys [B, D] the step's keys (row i belongs to example ctx.exampleIndices[i])
   * @returns [B + K, D]
   */
  candidates(keys: tf.Tensor2D, ctx?: StepContext): tf.Tensor2D {
    const indices = this.indicesOf(keys, ctx, 'candidates');
    const sampled = new Int32Array(this.options.negatives);
    for (let k = 0; k < sampled.length; k++) sampled[k] = ctx!.rng.int(this.options.size);
    return tf.tidy(() => {
      const bank = this.entries as tf.Tensor2D;
      const positives = this.options.positive === 'bank' ? tf.gather(bank, tf.tensor1d(indices, 'int32')) : keys;
      return tf.concat([positives, tf.gather(bank, tf.tensor1d(sampled, 'int32'))], 0) as tf.Tensor2D;
    });
  }

  /** Moves the batch's entries towards its (detached) keys [B, D]; other rows are untouched. */
  afterStep(keys: tf.Tensor2D, ctx?: StepContext): void {
    const indices = this.indicesOf(keys, ctx, 'afterStep');
    const m = this.options.momentum;
    const next = tf.tidy(() => {
      const at = tf.tensor2d(indices, [indices.length, 1], 'int32');
      const old = tf.gather(this.entries as tf.Tensor2D, tf.reshape(at, [-1]));
      const moved = l2Normalize(tf.add(tf.mul(old, m), tf.mul(l2Normalize(keys), 1 - m)) as tf.Tensor2D);
      return tf.tensorScatterUpdate(this.entries, at, moved);
    });
    this.entries.assign(next);
    next.dispose();
  }

  private indicesOf(keys: tf.Tensor2D, ctx: StepContext | undefined, where: string): Int32Array {
    const { size, dim } = this.options;
    if (keys.rank !== 2 || keys.shape[1] !== dim) {
      throw new Error(`memory-bank.${where}: expected keys [B, ${dim}] (the bank was built for dim ${dim}), got [${keys.shape.join(', ')}]`);
    }
    const indices = ctx?.exampleIndices;
    if (!indices) {
      throw new Error(`memory-bank.${where}: needs the batch's example indices (StepContext.exampleIndices); ` +
        'the trainer sets them, and the method must pass its step context to its negatives');
    }
    if (indices.length !== keys.shape[0]) throw new Error(`memory-bank.${where}: ${indices.length} example indices for ${keys.shape[0]} keys`);
    const outside = indices.find((i) => i < 0 || i >= size);
    if (outside !== undefined) throw new Error(`memory-bank.${where}: example index ${outside} is outside the bank of ${size} entries`);
    return indices;
  }

  trainableVariables(): tf.Variable[] { return []; }
  namedVariables(): Map<string, tf.Variable> { return this.store.namedVariables(); }
  dispose(): void { this.store.dispose(); }
}
