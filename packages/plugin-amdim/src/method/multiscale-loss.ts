import * as tf from '@tensorflow/tfjs';
import {
  scoreLocationsAgainstLocations, softClip, squaredScorePenalty, type Estimator, type ScoreFunction,
} from '@contrastive/framework';

/** One comparison: the features of scale `from` of one view against those of `to` of the other. */
export interface Comparison {
  from: string;
  to: string;
}

/** The stabilisers of AMDIM's scores. */
export interface ScoreStabilisers {
  /** c in c·tanh(s/c). */
  clip: number;
  /** Weight of mean(s²) of the raw scores. */
  penaltyWeight: number;
}

/**
 * The scaled dot product AMDIM scores with: a·c / √dim (its code divides by the square root
 * of the embedding size so the initial scores are O(1) whatever `dim` is).
 */
export function scaledDotScore(dim: number): ScoreFunction {
  const scale = 1 / Math.sqrt(dim);
  return { score: (a, c) => tf.tidy(() => tf.mul(tf.matMul(a, c, false, true), scale)) };
}

/**
 * The loss of one comparison in one direction (Bachman et al. 2019, arXiv:1906.00910,
 * section 3): every location of `source` (view 1, scale `from`) against every location of
 * `target` (view 2, scale `to`) of every image; positives: the same image's locations.
 *
 *   s = a·c / √dim,    ℓ = estimator(c_clip · tanh(s / c_clip)) + λ · mean(s²)
 *
 * @param source [B, Ha, Wa, dim] embedded features of one view
 * @param target [B, Hb, Wb, dim] embedded features of the other view
 * @returns the scalar loss and its penalty term (for logging)
 */
export function comparisonLoss(
  source: tf.Tensor4D, target: tf.Tensor4D, estimator: Estimator, stabilisers: ScoreStabilisers,
): { loss: tf.Scalar; penalty: tf.Scalar } {
  return tf.tidy(() => {
    const raw = scoreLocationsAgainstLocations(scaledDotScore(source.shape[3]), source, target);
    const penalty = squaredScorePenalty(raw.scores);
    const nce = estimator.loss({ scores: softClip(raw.scores, stabilisers.clip), positives: raw.positives });
    return { loss: tf.add(nce, tf.mul(penalty, stabilisers.penaltyWeight)) as tf.Scalar, penalty };
  });
}

/**
 * AMDIM's multiscale loss: the mean over the comparisons and both directions (view 1 → view
 * 2 and view 2 → view 1) of {@link comparisonLoss}.
 *
 * @param views the embedded features of each scale, for view 1 and view 2 ([B, H, W, dim] each)
 */
export function multiscaleLoss(
  views: [Record<string, tf.Tensor4D>, Record<string, tf.Tensor4D>], comparisons: readonly Comparison[],
  estimator: Estimator, stabilisers: ScoreStabilisers,
): { loss: tf.Scalar; penalty: tf.Scalar; perComparison: tf.Scalar[] } {
  return tf.tidy(() => {
    const losses: tf.Scalar[] = [];
    const penalties: tf.Scalar[] = [];
    const perComparison = comparisons.map(({ from, to }) => {
      const both = [[0, 1], [1, 0]].map(([a, b]) => comparisonLoss(views[a][from], views[b][to], estimator, stabilisers));
      both.forEach((d) => { losses.push(d.loss); penalties.push(d.penalty); });
      return tf.mean(tf.stack(both.map((d) => d.loss))) as tf.Scalar;
    });
    return {
      loss: tf.mean(tf.stack(losses)) as tf.Scalar,
      penalty: tf.mean(tf.stack(penalties)) as tf.Scalar,
      perComparison,
    };
  }) as unknown as { loss: tf.Scalar; penalty: tf.Scalar; perComparison: tf.Scalar[] };
}
