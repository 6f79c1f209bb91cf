import * as tf from '@tensorflow/tfjs';
import type { ContrastiveLoss } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { positiveMask } from './loss-inputs';
import { nativeFloatOp } from '../nn/native-float-op';

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
    return withSoftmaxGradient(mask)(logits) as tf.Scalar;
  });
}

/**
 * L(s) = -(1/N) Σ_i Σ_j m[i, j] · log softmax(s_i)_j with its gradient written out,
 * ∂L/∂s = (softmax(s) · Σ_j m[i, j] − m) / N: three small ops instead of the ~15 that
 * differentiating log-softmax, the mask product and the means step by step launches (each
 * a kernel on [N, M]; this loss runs twice per symmetric step). The row sums of m make it
 * exact for a row whose positive index is out of range (a zero mask row, loss 0).
 */
function withSoftmaxGradient(mask: tf.Tensor2D): (logits: tf.Tensor) => tf.Tensor {
  return tf.customGrad((logits, save) => {
    const { logProb, softmax } = logSoftmaxAndSoftmax(logits as tf.Tensor2D);
    const rows = logProb.shape[0];
    const maskRowSums = tf.sum(mask, 1, true);
    // The mask too: the caller's tidy disposes it before the backward pass runs.
    (save as tf.GradSaveFunc)([softmax, maskRowSums, mask]);
    return {
      value: tf.neg(tf.mean(tf.sum(tf.mul(logProb, mask), 1))),
      gradFunc: (dy: tf.Tensor, [savedSoftmax, savedRowSums, savedMask]: tf.Tensor[]) =>
        tf.mul(tf.sub(tf.mul(savedSoftmax, savedRowSums), savedMask), tf.div(dy, rows)),
    };
  });
}

/**
 * log softmax and softmax over rows. Not differentiated (it runs in a customGrad's forward),
 * so TensorFlow's `LogSoftmax` op may stand in on the native backend; elsewhere the shifted
 * exponentials are computed once and serve both (`exp` is slow on wasm: 0.6 ms for 256x256).
 */
function logSoftmaxAndSoftmax(logits: tf.Tensor2D): { logProb: tf.Tensor2D; softmax: tf.Tensor2D } {
  const native = nativeFloatOp('LogSoftmax');
  if (native) {
    const logProb = native(logits) as tf.Tensor2D;
    return { logProb, softmax: tf.exp(logProb) };
  }
  const shifted = tf.sub(logits, tf.max(logits, 1, true));
  const exps = tf.exp(shifted);
  const sums = tf.sum(exps, 1, true);
  return { logProb: tf.sub(shifted, tf.log(sums)), softmax: tf.div(exps, sums) };
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
