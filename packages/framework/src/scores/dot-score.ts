import * as tf from '@tensorflow/tfjs';
import type { ScoreFunction } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { assertScoreInputs } from './check-inputs';

/**
 * Dot-product scores: `logits[i, j] = anchors[i] · candidates[j]`.
 *
 * @param anchors [N, D]
 * @param candidates [M, D]
 * @returns logits [N, M]
 */
export function dotScores(anchors: tf.Tensor2D, candidates: tf.Tensor2D): tf.Tensor2D {
  assertScoreInputs(anchors, candidates, 'dot');
  return tf.tidy(() => tf.matMul(anchors, candidates, false, true));
}

/**
 * The unnormalised inner product as a score function. It has no parameters and no
 * temperature, so the scale of the logits is the scale of the embeddings.
 */
export class DotScore implements ScoreFunction {
  /** a·c = c·a. */
  readonly transposeSwapsArguments = true;

  /** @see dotScores */
  score(anchors: tf.Tensor2D, candidates: tf.Tensor2D): tf.Tensor2D {
    return dotScores(anchors, candidates);
  }
}

/** Options of the `dot` score: none. */
export type DotScoreOptions = Record<string, never>;

/** Component definition of the `dot` score (kind `score`). */
export const dotScoreDefinition = defineComponent<'score', DotScoreOptions>({
  kind: 'score',
  name: 'dot',
  description: 'Dot product a·c between anchor and candidate embeddings (no parameters).',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => new DotScore(),
});
