import * as tf from '@tensorflow/tfjs';
import type { ScoredPairs } from '../contracts';

/**
 * Stands in for -infinity where a mask is 0: finite, so `0 * x` stays 0 in gradients, and
 * far below any score (exp(score - 1e30) underflows to exactly 0 in float32).
 */
const MASKED_OUT = -1e30;

/**
 * Checks a {@link ScoredPairs} and returns its masks: positives and negatives, float32
 * [N, M] (negatives default to 1 - positives). Call inside a `tf.tidy`.
 * @param name the estimator, for the error message
 */
export function pairMasks(pairs: ScoredPairs, name: string): { positives: tf.Tensor2D; negatives: tf.Tensor2D } {
  const { scores, positives, negatives } = pairs;
  if (scores.rank !== 2) throw new Error(`${name} estimator: scores must be [N, M], got [${scores.shape}]`);
  for (const [what, mask] of [['positives', positives], ['negatives', negatives]] as const) {
    if (mask && (mask.rank !== 2 || mask.shape[0] !== scores.shape[0] || mask.shape[1] !== scores.shape[1])) {
      throw new Error(`${name} estimator: ${what} mask must be [${scores.shape}] like the scores, got [${mask.shape}]`);
    }
  }
  const pos = positives.dtype === 'float32' ? positives : tf.cast(positives, 'float32');
  const neg = negatives ? (negatives.dtype === 'float32' ? negatives : tf.cast(negatives, 'float32')) : tf.sub(1, pos);
  return { positives: pos as tf.Tensor2D, negatives: neg as tf.Tensor2D };
}

/**
 * log Σ_j mask[i, j] · exp(x[i, j]) per row, stable (shifted by the row's masked maximum):
 * [N, M] -> [N, 1]. A row whose mask is all 0 gives about -1e30 (log of an empty sum), with
 * zero gradient, rather than -Infinity and NaN gradients.
 */
export function maskedLogSumExp(x: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const masked = tf.where(tf.greater(mask, 0), x, tf.fill(x.shape, MASKED_OUT));
    const rowMax = tf.max(masked, 1, true);
    const sums = tf.sum(tf.mul(tf.exp(tf.sub(masked, rowMax)), mask), 1, true);
    // An empty row sums to 0: log(0 + 1) = 0 keeps it finite; a non-empty row's sum is >= 1.
    const empty = tf.cast(tf.equal(tf.sum(mask, 1, true), 0), 'float32');
    return tf.add(rowMax, tf.log(tf.add(sums, empty))) as tf.Tensor2D;
  });
}

/** Σ mask · x / max(Σ mask, 1): the mean of x over the masked entries (0 when there are none). */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.div(tf.sum(tf.mul(x, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar);
}

/** Per row, Σ_j mask · x / max(Σ_j mask, 1): [N, M] -> [N]. */
export function maskedRowMean(x: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.div(tf.sum(tf.mul(x, mask), 1), tf.maximum(tf.sum(mask, 1), 1)) as tf.Tensor1D);
}
