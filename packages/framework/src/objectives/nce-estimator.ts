import * as tf from '@tensorflow/tfjs';
import type { Estimator, ScoredPairs } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { maskedRowMean, pairMasks } from './masked-reductions';

/**
 * Binary NCE (logistic) with a positive mask: every pair is a binary classification,
 * positive pairs label 1, negative pairs label 0; per row the mean logistic loss of its
 * positives plus the mean of its negatives, averaged over the rows that have a positive:
 *
 *   ℓ_i = mean_{p ∈ P(i)} softplus(-s_ip) + mean_{n ∈ N(i)} softplus(s_in)
 *
 * With one positive per row and the rest negatives it is the framework's `nce` loss. Unlike
 * `jsd` it weighs rows equally however many pairs each has (and has no 2 log 2 offset).
 *
 * @param pairs scores [N, M], positives [N, M], optional negatives [N, M]
 * @returns scalar
 */
export function nceEstimate(pairs: ScoredPairs): tf.Scalar {
  return tf.tidy(() => {
    const { positives, negatives } = pairMasks(pairs, 'nce');
    const perRow = tf.add(
      maskedRowMean(tf.softplus(tf.neg(pairs.scores)), positives),
      maskedRowMean(tf.softplus(pairs.scores), negatives),
    );
    const hasPositive = tf.cast(tf.greater(tf.sum(positives, 1), 0), 'float32');
    return tf.div(tf.sum(tf.mul(perRow, hasPositive)), tf.maximum(tf.sum(hasPositive), 1)) as tf.Scalar;
  });
}

/** {@link nceEstimate} as an `Estimator`. */
export class NceEstimator implements Estimator {
  readonly name = 'nce';
  /** @see nceEstimate */
  loss(pairs: ScoredPairs): tf.Scalar {
    return nceEstimate(pairs);
  }
}

/** Component definition of the `nce` estimator (kind `estimator`). */
export const nceEstimatorDefinition = defineComponent<'estimator', Record<string, never>>({
  kind: 'estimator',
  name: 'nce',
  description: 'Binary NCE with a positive mask: per row, mean softplus(-s) of positives + mean softplus(s) of negatives.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => new NceEstimator(),
});
