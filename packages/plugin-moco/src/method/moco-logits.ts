import * as tf from '@tensorflow/tfjs';

/** MoCo's logits and the column of each row's positive. */
export interface MocoLogits {
  /** [N, 1 + K] with a queue (positive first), or [N, N] with in-batch negatives only. */
  logits: tf.Tensor2D;
  /** int32 [N]: all 0 with a queue, 0..N-1 with in-batch negatives. */
  positiveIndex: tf.Tensor1D;
}

/**
 * Turns the scores of N queries against the candidates of a negative sampler into MoCo's
 * logits (He et al. 2019, arXiv:1911.05722, Algorithm 1):
 *
 *   l_pos = q · k+            [N, 1]   (row i: query i against its own key)
 *   l_neg = q · queue^T       [N, K]
 *   logits = cat([l_pos, l_neg], 1) / tau,   positive index 0
 *
 * `scores` is `score(q, candidates)` with `candidates = concat(keys, extra)` [N + K, D] as a
 * queue returns it; l_pos is its diagonal over the first N columns and the other current keys
 * are not used as negatives, as in MoCo. When the sampler adds nothing to the keys (M = N,
 * e.g. `in-batch`), the other keys of the batch are the negatives instead: logits =
 * scores / tau with positives on the diagonal (the construction of MoCo v3, arXiv:2104.02057).
 *
 * @param scores [N, M], M = N + K (K >= 1) or M = N
 * @param temperature tau > 0
 */
export function mocoLogits(scores: tf.Tensor2D, temperature: number): MocoLogits {
  const [n, m] = scores.shape;
  if (!(temperature > 0)) throw new Error(`moco: temperature must be > 0, got ${temperature}`);
  if (m < n) throw new Error(`moco: expected scores [N, N + K] with the keys first, got [${n}, ${m}]`);
  return tf.tidy(() => {
    if (m === n) {
      return { logits: tf.div(scores, temperature), positiveIndex: tf.range(0, n, 1, 'int32') } as unknown as tf.TensorContainer;
    }
    const own = tf.slice(scores, [0, 0], [n, n]);
    const positive = tf.sum(tf.mul(own, tf.eye(n)), 1, true);
    const negatives = tf.slice(scores, [0, n], [n, m - n]);
    return {
      logits: tf.div(tf.concat([positive, negatives], 1), temperature),
      positiveIndex: tf.zeros([n], 'int32'),
    } as unknown as tf.TensorContainer;
  }) as unknown as MocoLogits;
}
