import * as tf from '@tensorflow/tfjs';
import type { ContrastiveLoss, ScoreFunction } from '@contrastive/framework';

/** What {@link cmcLoss} returns: the loss, and the logits of the first pair's first direction (for metrics). */
export interface CmcLossOutput {
  loss: tf.Scalar;
  firstLogits: tf.Tensor2D;
}

/**
 * CMC's objective over view pairs (Tian et al. 2019, arXiv:1906.05849, eq. 2-3): for a pair
 * (i, j), L(V_i, V_j) = L^{V_i,V_j} + L^{V_j,V_i}, where L^{V_i,V_j} = objective(score(z_i,
 * C_j), target) contrasts each anchor z_i[b] with the candidates C_j of view j (row b the
 * positive: the same example's view j; the other rows negatives). The loss is the mean of the
 * 2·|pairs| directed terms (the paper sums them; the mean keeps the scale of a two-view loss,
 * so learning rates carry over between pairings).
 *
 * Shapes: embeddings[v] [B, D]; candidates[v] [M_v, D] with M_v ≥ B; target [B] (int32).
 * When the candidates of a view are its embeddings themselves (in-batch negatives) and the
 * score is symmetric (`transposeSwapsArguments`), L^{V_j,V_i}'s logits are the transpose of
 * L^{V_i,V_j}'s instead of a second score.
 *
 * @example
 * ```ts
 * const { loss } = cmcLoss({ L: zl, ab: zab }, { L: zl, ab: zab }, [['L', 'ab']], new CosineScore(0.07), new InfoNceLoss(), target);
 * ```
 */
export function cmcLoss(
  embeddings: Record<string, tf.Tensor2D>,
  candidates: Record<string, tf.Tensor2D>,
  pairs: readonly (readonly [string, string])[],
  scorer: ScoreFunction,
  objective: ContrastiveLoss,
  target: tf.Tensor1D,
): CmcLossOutput {
  if (pairs.length === 0) throw new Error('cmcLoss: no view pairs');
  const terms: tf.Scalar[] = [];
  let firstLogits: tf.Tensor2D | null = null;
  for (const [i, j] of pairs) {
    for (const name of [i, j]) {
      if (!embeddings[name] || !candidates[name]) throw new Error(`cmcLoss: no embeddings or candidates for view "${name}"`);
    }
    const forward = scorer.score(embeddings[i], candidates[j]);
    const inBatch = candidates[i] === embeddings[i] && candidates[j] === embeddings[j];
    const backward = scorer.transposeSwapsArguments && inBatch ? tf.transpose(forward) : scorer.score(embeddings[j], candidates[i]);
    terms.push(objective.compute(forward, target), objective.compute(backward, target));
    firstLogits ??= forward;
  }
  return { loss: tf.mean(tf.stack(terms)) as tf.Scalar, firstLogits: firstLogits! };
}
