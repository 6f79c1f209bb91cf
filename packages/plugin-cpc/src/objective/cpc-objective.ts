import * as tf from '@tensorflow/tfjs';
import { Dense, positiveAccuracy, VariableOwner, VariableStore, type ContrastiveLoss, type Rng } from '@contrastive/framework';
import { cpcLogits, type CpcNegatives } from './cpc-logits';

/** What {@link CpcPredictors.objective} returns. */
export interface CpcObjectiveOutput {
  /** The mean over k = 1..K of the loss of offset k. */
  loss: tf.Scalar;
  /** accuracy.k<k>: how often the true z_{t+k} scores highest among its candidates. */
  metrics: Record<string, tf.Scalar>;
}

/**
 * The K linear predictions of CPC (arXiv:1807.03748, eq. 3-4): one W_k [C, D] per offset
 * k = 1..K (no bias), prediction W_k c_t for z_{t+k}, and the InfoNCE loss
 *   L_N = - E[ log( exp(z_{t+k}^T W_k c_t) / sum_j exp(z_j^T W_k c_t) ) ]
 * averaged over k, where the z_j are the positive and the negatives chosen by `negatives`.
 * The cross-entropy itself is the method's `loss` slot (InfoNCE by default).
 * Variables: `predict/k<k>/kernel`.
 *
 * @example
 * const predictors = new CpcPredictors(128, 64, 4, rng);
 * const { loss, metrics } = predictors.objective(c, z, 'all', new InfoNceLoss()); // c [B,T,128], z [B,T,64]
 */
export class CpcPredictors extends VariableOwner {
  private readonly layers: Dense[];

  constructor(readonly contextDim: number, readonly codeDim: number, readonly steps: number, rng: Rng) {
    super(new VariableStore('predict', rng));
    this.layers = Array.from({ length: steps }, (_, i) => new Dense(this.store, `k${i + 1}`, contextDim, codeDim, { bias: false }));
  }

  /**
   * @param c [B, T, contextDim] contexts
   * @param z [B, T, codeDim] codes
   */
  objective(c: tf.Tensor3D, z: tf.Tensor3D, negatives: CpcNegatives, loss: ContrastiveLoss): CpcObjectiveOutput {
    const [b, t] = c.shape;
    if (this.steps >= t) throw new Error(`CPC: ${this.steps} prediction steps need sequences longer than ${this.steps} steps, got ${t}`);
    const metrics: Record<string, tf.Scalar> = {};
    const losses: tf.Scalar[] = [];
    this.layers.forEach((layer, i) => {
      const k = i + 1;
      const l = t - k;
      const ctx = tf.reshape(tf.slice(c, [0, 0, 0], [b, l, this.contextDim]), [b * l, this.contextDim]) as tf.Tensor2D;
      const predictions = tf.reshape(layer.apply(ctx), [b, l, this.codeDim]) as tf.Tensor3D;
      const targets = tf.slice(z, [0, k, 0], [b, l, this.codeDim]);
      const { logits, positiveIndex } = cpcLogits(predictions, targets, negatives);
      losses.push(loss.compute(logits, positiveIndex));
      metrics[`accuracy.k${k}`] = positiveAccuracy(logits, positiveIndex);
    });
    return { loss: tf.mean(tf.stack(losses)) as tf.Scalar, metrics };
  }
}
