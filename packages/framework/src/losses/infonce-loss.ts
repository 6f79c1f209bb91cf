import * as tf from '@tensorflow/tfjs';
import type { ContrastiveLoss } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { positiveMask } from './loss-inputs';

/**
 * InfoNCE (van den Oord et al. 2018, "Representation Learning with Contrastive Predictive
 * Coding", arXiv:1807.03748): softmax cross-entropy of each row of logits with its positive
 * column as the target, averaged over rows:
 *
 *   L = -(1/N) Σ_i log( exp(s[i, p_i]) / Σ_j exp(s[i, j]) ),  p_i = positiveIndex[i].
 *
 * Computed with a log-softmax (max-subtracted log-sum-exp), so it is finite for any
 * finite logits.
 *
 * @param logits [N, M]
 * @param positiveIndex int32 [N], values in [0, M)
 * @returns scalar loss
 */
export function infoNceLoss(logits: tf.Tensor2D, positiveIndex: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const mask = positiveMask(logits, positiveIndex, 'infonce');
    const logProb = tf.sum(tf.mul(tf.logSoftmax(logits, 1), mask), 1);
    return tf.neg(tf.mean(logProb)) as tf.Scalar;
  });
}

/** InfoNCE as a `ContrastiveLoss`; see {@link infoNceLoss}. */
export class InfoNceLoss implements ContrastiveLoss {
  /** @see infoNceLoss */
  compute(logits: tf.Tensor2D, positiveIndex: tf.Tensor1D): tf.Scalar {
    return infoNceLoss(logits, positiveIndex);
  }
}

/** Options of the `infonce` loss: none. */
export type InfoNceLossOptions = Record<string, never>;

/** Component definition of the `infonce` loss (kind `loss`). */
export const infoNceLossDefinition = defineComponent<'loss', InfoNceLossOptions>({
  kind: 'loss',
  name: 'infonce',
  description: 'InfoNCE: softmax cross-entropy with the positive column as target (arXiv:1807.03748).',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => new InfoNceLoss(),
});
