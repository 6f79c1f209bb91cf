import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../nn/functional';

/**
 * The InfoNCE lower bound on the mutual information between the two views, in nats:
 * I(x; x+) >= log(N) - L_InfoNCE, with N the candidates each anchor is scored against (one
 * positive, N - 1 negatives). Oord et al. 2018 (arXiv:1807.03748), Poole et al. 2019 (arXiv:1905.06922).
 *
 * The bound can never exceed log(N) (the loss is >= 0): with a batch of 256 in-batch
 * candidates it saturates at log(256) = 5.55 nats, however much information the views
 * share. Read a value near log(N) as "the task is solved", not as "I is log(N)".
 * A metric: it reads the loss through a stop-gradient, so it adds nothing to the gradient.
 *
 * @param loss scalar InfoNCE loss (mean over anchors, natural log)
 * @param candidates N, the columns of the logit matrix
 * @returns scalar log(N) - loss
 *
 * @example
 * metrics.infoNceBound = infoNceBound(loss, logits.shape[1]);
 */
export function infoNceBound(loss: tf.Scalar, candidates: number): tf.Scalar {
  if (!(Number.isInteger(candidates) && candidates >= 1)) {
    throw new Error(`infoNceBound: candidates must be an integer >= 1, got ${candidates}`);
  }
  return tf.tidy(() => tf.sub(Math.log(candidates), stopGradient(loss)));
}
