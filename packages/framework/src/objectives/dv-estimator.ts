import * as tf from '@tensorflow/tfjs';
import type { Estimator, ScoredPairs } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { maskedLogSumExp, maskedMean, pairMasks } from './masked-reductions';

/**
 * The Donsker-Varadhan estimator (the bound of MINE, Belghazi et al. 2018, arXiv:1801.04062;
 * Poole et al. 2019, arXiv:1905.06922; one of Deep InfoMax's three, arXiv:1808.06670):
 *
 *   Î_DV = E_P[T] - log E_N[e^T],      loss = -Î_DV
 *
 * E_P averages over all positive pairs of the batch; E_N[e^T] over all its negative pairs,
 * computed as a stable log-sum-exp minus log |N|. The batch estimate of log E_N is biased
 * (MINE's moving average corrects its gradient; not done here, as in DIM's code).
 *
 * @param pairs scores [N, M], positives [N, M], optional negatives [N, M]
 * @returns scalar
 */
export function dvEstimate(pairs: ScoredPairs): tf.Scalar {
  return tf.tidy(() => {
    const { positives, negatives } = pairMasks(pairs, 'dv');
    const positive = maskedMean(pairs.scores, positives);
    const count = pairs.scores.shape[0] * pairs.scores.shape[1];
    const all = (t: tf.Tensor2D) => tf.reshape(t, [1, count]) as tf.Tensor2D;
    const logSum = tf.reshape(maskedLogSumExp(all(pairs.scores), all(negatives)), []);
    const logMeanExp = tf.sub(logSum, tf.log(tf.maximum(tf.sum(negatives), 1)));
    return tf.sub(logMeanExp, positive) as tf.Scalar;
  });
}

/** {@link dvEstimate} as an `Estimator`. */
export class DvEstimator implements Estimator {
  readonly name = 'dv';
  /** @see dvEstimate */
  loss(pairs: ScoredPairs): tf.Scalar {
    return dvEstimate(pairs);
  }
}

/** Component definition of the `dv` estimator (kind `estimator`). */
export const dvEstimatorDefinition = defineComponent<'estimator', Record<string, never>>({
  kind: 'estimator',
  name: 'dv',
  description: 'Donsker-Varadhan MI estimator: E_P[T] - log E_N[exp T] (arXiv:1801.04062, 1808.06670).',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => new DvEstimator(),
});
