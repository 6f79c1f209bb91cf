import * as tf from '@tensorflow/tfjs';
import type { Estimator, ScoredPairs } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { maskedLogSumExp, maskedMean, pairMasks } from './masked-reductions';

/**
 * InfoNCE with several positives per row (van den Oord et al. 2018, arXiv:1807.03748; the
 * multi-positive form of Deep InfoMax's local objective, Hjelm et al. 2018,
 * arXiv:1808.06670): every positive pair (i, p) is a softmax classification of p against
 * the negatives of row i only (the row's other positives are not in its denominator):
 *
 *   ℓ(i, p) = -log( e^{s_ip} / (e^{s_ip} + Σ_{n ∈ N(i)} e^{s_in}) ) = softplus(L_i - s_ip),
 *   L_i = log Σ_{n ∈ N(i)} e^{s_in},      loss = mean of ℓ over all positive pairs.
 *
 * With one positive per row and every other column negative it is the framework's `infonce`
 * loss. A positive whose row has no negative costs 0.
 *
 * @param pairs scores [N, M], positives [N, M], optional negatives [N, M]
 * @returns scalar
 * @example
 * ```ts
 * const loss = infoNceEstimate({ scores, positives: sameImageMask(4, 49) });
 * ```
 */
export function infoNceEstimate(pairs: ScoredPairs): tf.Scalar {
  return tf.tidy(() => {
    const { positives, negatives } = pairMasks(pairs, 'infonce');
    const negativeLse = maskedLogSumExp(pairs.scores, negatives);
    return maskedMean(tf.softplus(tf.sub(negativeLse, pairs.scores)), positives);
  });
}

/** {@link infoNceEstimate} as an `Estimator`. */
export class InfoNceEstimator implements Estimator {
  readonly name = 'infonce';
  /** @see infoNceEstimate */
  loss(pairs: ScoredPairs): tf.Scalar {
    return infoNceEstimate(pairs);
  }
}

/** Component definition of the `infonce` estimator (kind `estimator`). */
export const infoNceEstimatorDefinition = defineComponent<'estimator', Record<string, never>>({
  kind: 'estimator',
  name: 'infonce',
  description: 'InfoNCE with a positive mask: each positive against its row\'s negatives (arXiv:1807.03748, 1808.06670).',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => new InfoNceEstimator(),
});
