import * as tf from '@tensorflow/tfjs';

/**
 * Which z's a prediction is contrasted against (the true z_{t+k} is always among them):
 * - `all`: every z_{s+k} of every sequence of the batch (other positions and other
 *   sequences; van den Oord et al. 2018, arXiv:1807.03748): N = B (T - k) candidates;
 * - `positions`: the z_{s+k} of the same sequence (other positions only): T - k candidates;
 * - `sequences`: the z_{t+k} of the other sequences at the same position: B candidates.
 */
export type CpcNegatives = 'all' | 'positions' | 'sequences';

/** Every value of {@link CpcNegatives}. */
export const CPC_NEGATIVES: readonly CpcNegatives[] = ['all', 'positions', 'sequences'];

/** Logits of one offset k, flattened for a ContrastiveLoss: row i's positive is column positiveIndex[i]. */
export interface OffsetLogits {
  /** [rows, candidates] */
  logits: tf.Tensor2D;
  /** [rows] int32 */
  positiveIndex: tf.Tensor1D;
}

/**
 * The score matrix of one offset: predictions p_t = W_k c_t against targets z_{t+k}, with
 * the dot product f_k = exp(z_{t+k}^T W_k c_t) of arXiv:1807.03748 (eq. 3) in log space.
 * Rows are anchors (b, t), flattened in (b, t) order for `all` and `positions`, in (t, b)
 * order for `sequences`.
 *
 * @param predictions [B, L, D]: W_k c_t for t = 0..L-1 (L = T - k)
 * @param targets [B, L, D]: z_{t+k} for the same t
 * @example
 * const { logits, positiveIndex } = cpcLogits(pred, target, 'all'); // [B*L, B*L], [B*L]
 */
export function cpcLogits(predictions: tf.Tensor3D, targets: tf.Tensor3D, negatives: CpcNegatives): OffsetLogits {
  return tf.tidy(() => {
    const [b, l, d] = predictions.shape;
    if (targets.shape[0] !== b || targets.shape[1] !== l || targets.shape[2] !== d) {
      throw new Error(`cpcLogits: predictions [${predictions.shape.join(', ')}] and targets [${targets.shape.join(', ')}] differ`);
    }
    if (negatives === 'all') {
      const p = tf.reshape(predictions, [b * l, d]) as tf.Tensor2D;
      const z = tf.reshape(targets, [b * l, d]) as tf.Tensor2D;
      return { logits: tf.matMul(p, z, false, true), positiveIndex: tf.range(0, b * l, 1, 'int32') } as tf.TensorContainer;
    }
    if (negatives === 'positions') {
      const scores = tf.matMul(predictions, targets, false, true); // [B, L, L]
      return { logits: tf.reshape(scores, [b * l, l]), positiveIndex: tf.tile(tf.range(0, l, 1, 'int32'), [b]) } as tf.TensorContainer;
    }
    const p = tf.transpose(predictions, [1, 0, 2]); // [L, B, D]
    const z = tf.transpose(targets, [1, 0, 2]);
    const scores = tf.matMul(p, z, false, true); // [L, B, B]
    return { logits: tf.reshape(scores, [l * b, b]), positiveIndex: tf.tile(tf.range(0, b, 1, 'int32'), [l]) } as tf.TensorContainer;
  }) as unknown as OffsetLogits;
}
