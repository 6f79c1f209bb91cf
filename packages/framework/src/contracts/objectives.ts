import type * as tf from '@tensorflow/tfjs';

/**
 * Scores of N anchors against M candidates, with the role of every pair. Several positives
 * per row are allowed (DIM: every location of the anchor's own image), and a pair may be
 * neither positive nor negative (left out of the objective).
 */
export interface ScoredPairs {
  /** Critic scores T(anchor_i, candidate_j): [N, M]. */
  scores: tf.Tensor2D;
  /** 1 where (i, j) is a positive pair, else 0: float32 [N, M]. */
  positives: tf.Tensor2D;
  /** 1 where (i, j) is a negative pair, else 0: float32 [N, M]. Default: 1 - positives. */
  negatives?: tf.Tensor2D;
}

/**
 * A mutual-information estimator turned into a loss (framework API 1.2.0): from scores over
 * positive and negative pairs to a scalar to minimise, e.g. InfoNCE, Jensen-Shannon, Donsker-
 * Varadhan or binary NCE (Poole et al. 2019, "On Variational Bounds of Mutual Information",
 * arXiv:1905.06922; Hjelm et al. 2018, Deep InfoMax, arXiv:1808.06670). Unlike a
 * `ContrastiveLoss`, it takes a positive mask, not one positive column per row.
 */
export interface Estimator {
  /** The registered name (`infonce`, `jsd`, `dv`, `nce`, ...), for metrics and messages. */
  readonly name: string;
  /** @returns the scalar loss; its negative is the estimator's MI estimate up to a constant */
  loss(pairs: ScoredPairs): tf.Scalar;
}
