import * as tf from '@tensorflow/tfjs';
import type { ContrastiveLoss } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { positiveMask } from './loss-inputs';

/**
 * Binary noise-contrastive (logistic) loss. Every logit is an independent binary
 * classification: the positive column of a row has label 1, every other column label 0.
 * With `softplus(x) = log(1 + eˣ)` (so `-log σ(x) = softplus(-x)`):
 *
 *   L = (1/N) Σ_i [ softplus(-s[i, p_i]) + (1/(M-1)) Σ_{j ≠ p_i} softplus(s[i, j]) ]
 *
 * i.e. the mean over rows of the positive's logistic loss plus the MEAN (not the sum) of
 * the negatives' logistic losses, so positives and negatives weigh equally whatever M is.
 * softplus is evaluated stably, so large |logits| give finite values and gradients.
 *
 * @param logits [N, M], M >= 2 (a row needs at least one negative)
 * @param positiveIndex int32 [N], values in [0, M)
 * @returns scalar loss
 */
export function nceLoss(logits: tf.Tensor2D, positiveIndex: tf.Tensor1D): tf.Scalar {
  if (logits.rank === 2 && logits.shape[1] < 2) {
    throw new Error(`nce: logits need at least 2 columns (one positive, one negative), got [${logits.shape}]`);
  }
  return tf.tidy(() => {
    const mask = positiveMask(logits, positiveIndex, 'nce');
    const numNegatives = logits.shape[1] - 1;
    const positive = tf.sum(tf.mul(tf.softplus(tf.neg(logits)), mask), 1);
    const negatives = tf.div(tf.sum(tf.mul(tf.softplus(logits), tf.sub(1, mask)), 1), numNegatives);
    return tf.mean(tf.add(positive, negatives)) as tf.Scalar;
  });
}

/** The binary NCE loss as a `ContrastiveLoss`; see {@link nceLoss}. */
export class NceLoss implements ContrastiveLoss {
  /** @see nceLoss */
  compute(logits: tf.Tensor2D, positiveIndex: tf.Tensor1D): tf.Scalar {
    return nceLoss(logits, positiveIndex);
  }
}

/** Options of the `nce` loss: none. */
export type NceLossOptions = Record<string, never>;

/** Component definition of the `nce` loss (kind `loss`). */
export const nceLossDefinition = defineComponent<'loss', NceLossOptions>({
  kind: 'loss',
  name: 'nce',
  description:
    'Binary NCE: logistic loss per logit, softplus(-s_pos) + mean over negatives of softplus(s_neg), averaged over rows.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => new NceLoss(),
});
