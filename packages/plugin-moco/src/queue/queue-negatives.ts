import * as tf from '@tensorflow/tfjs';
import { l2Normalize, VariableStore, type NegativeSampler, type Rng } from '@contrastive/framework';

/** Options of a {@link QueueNegatives}. */
export interface QueueNegativesOptions {
  /** K, the number of stored keys. */
  size: number;
  /** D, the dimension of the keys. */
  dim: number;
  /** L2-normalise keys before they are stored (MoCo stores unit vectors). */
  normalize: boolean;
}

/**
 * A FIFO queue of the keys of past steps, used as negatives (He et al. 2019, "Momentum
 * Contrast for Unsupervised Visual Representation Learning", arXiv:1911.05722, §3.2): the
 * dictionary is decoupled from the batch size, so K can be much larger than B.
 *
 * - `candidates(keys)` returns `concat(keys, queue)` [B + K, D]: row i is anchor i's
 *   positive, the other B - 1 keys and the K stored keys are its negatives (a method may use
 *   only the stored ones, as MoCo does).
 * - `afterStep(keys)` enqueues the step's keys [B, D] and dequeues the B oldest. The queue is
 *   kept in order, oldest row first, by shifting: `queue <- concat(queue[B:], keys)`. K need
 *   not be a multiple of B (MoCo's reference code requires it; a shift does not). When
 *   B >= K only the last K keys of the batch are kept.
 *
 * Like MoCo's code, the queue starts full of random unit vectors (seeded), so there are
 * always exactly K negatives; they are replaced after ceil(K / B) steps.
 *
 * The queue is one non-trainable variable, `<prefix>/keys` [K, D], so checkpoints hold it
 * and a resumed run continues with the same negatives.
 *
 * @example
 * ```yaml
 * negatives: { use: queue, size: 4096 }   # with any method, e.g. the baseline infonce
 * ```
 */
export class QueueNegatives implements NegativeSampler {
  /** The stored keys [K, D], oldest first. */
  readonly keys: tf.Variable;
  private readonly store: VariableStore;

  constructor(readonly options: QueueNegativesOptions, rng: Rng, prefix = 'queue') {
    const { size, dim } = options;
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`queue: size must be an integer >= 1, got ${size}`);
    if (!(Number.isInteger(dim) && dim >= 1)) throw new Error(`queue: dim must be an integer >= 1, got ${dim}`);
    this.store = new VariableStore(prefix, rng);
    const initial = tf.tidy(() => l2Normalize(tf.randomNormal([size, dim], 0, 1, 'float32', rng.seed()) as tf.Tensor2D));
    this.keys = this.store.add('keys', initial, false);
  }

  /** K: how many keys the queue holds. */
  get size(): number {
    return this.options.size;
  }

  /**
   * @param keys [B, D] the step's keys (row i is anchor i's positive)
   * @returns [B + K, D]: the keys, then the stored keys oldest first
   */
  candidates(keys: tf.Tensor2D): tf.Tensor2D {
    this.checkKeys(keys, 'candidates');
    return tf.concat([keys, this.keys as tf.Tensor2D], 0);
  }

  /**
   * Enqueues `keys` [B, D] (normalised if `normalize`) and dequeues the B oldest. The keys are
   * treated as constants; call this outside the gradient tape (a method's `afterStep`).
   */
  afterStep(keys: tf.Tensor2D): void {
    this.checkKeys(keys, 'afterStep');
    const { size, normalize } = this.options;
    const batch = keys.shape[0];
    const next = tf.tidy(() => {
      const stored = normalize ? l2Normalize(keys) : keys;
      if (batch >= size) return tf.slice(stored, [batch - size, 0], [size, -1]);
      return tf.concat([tf.slice(this.keys, [batch, 0], [size - batch, -1]), stored], 0);
    });
    this.keys.assign(next);
    next.dispose();
  }

  /** A copy of the stored keys [K, D], oldest first. */
  contents(): tf.Tensor2D {
    return tf.clone(this.keys) as tf.Tensor2D;
  }

  trainableVariables(): tf.Variable[] {
    return [];
  }

  /** `<prefix>/keys` [K, D]. */
  namedVariables(): Map<string, tf.Variable> {
    return this.store.namedVariables();
  }

  dispose(): void {
    this.store.dispose();
  }

  private checkKeys(keys: tf.Tensor, where: string): void {
    if (keys.rank !== 2 || keys.shape[1] !== this.options.dim) {
      throw new Error(
        `queue.${where}: expected keys [B, ${this.options.dim}] (the queue was built for dim ${this.options.dim}), ` +
          `got [${keys.shape.join(', ')}]; set negatives.dim to the size of the method's keys`,
      );
    }
  }
}
