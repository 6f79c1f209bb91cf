import * as tf from '@tensorflow/tfjs';
import type { Estimator, ScoredPairs } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { maskedMean, pairMasks } from './masked-reductions';

/**
 * The Jensen-Shannon estimator of Deep InfoMax (Hjelm et al. 2018, arXiv:1808.06670, eq. 4;
 * the f-GAN bound of Nowozin et al., as in Poole et al. 2019, arXiv:1905.06922), with
 * softplus(x) = log(1 + eˣ):
 *
 *   Î_JSD = E_P[-softplus(-T)] - E_N[softplus(T)] + 2 log 2,      loss = -Î_JSD
 *
 * where E_P averages over all positive pairs and E_N over all negative pairs of the batch
 * (DIM's code writes it as E_pos = log 2 - softplus(-T), E_neg = softplus(T) - log 2).
 * Î_JSD <= 2 log 2; it is large when positives score high and negatives low.
 *
 * @param pairs scores [N, M], positives [N, M], optional negatives [N, M]
 * @returns scalar
 */
export function jsdEstimate(pairs: ScoredPairs): tf.Scalar {
  return tf.tidy(() => {
    const { positives, negatives } = pairMasks(pairs, 'jsd');
    const positive = maskedMean(tf.softplus(tf.neg(pairs.scores)), positives);
    const negative = maskedMean(tf.softplus(pairs.scores), negatives);
    return tf.sub(tf.add(positive, negative), 2 * Math.LN2) as tf.Scalar;
  });
}

/** {@link jsdEstimate} as an `Estimator`. */
export class JsdEstimator implements Estimator {
  readonly name = 'jsd';
  /** @see jsdEstimate */
  loss(pairs: ScoredPairs): tf.Scalar {
    return jsdEstimate(pairs);
  }
}

/** Component definition of the `jsd` estimator (kind `estimator`). */
export const jsdEstimatorDefinition = defineComponent<'estimator', Record<string, never>>({
  kind: 'estimator',
  name: 'jsd',
  description: 'Jensen-Shannon MI estimator: softplus(-T) on positives, softplus(T) on negatives (arXiv:1808.06670).',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => new JsdEstimator(),
});
