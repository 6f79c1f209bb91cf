import * as tf from '@tensorflow/tfjs';
import type { ScoreFunction } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { assertScoreInputs } from './check-inputs';

/** The epsilon added under the square root of the norm in {@link l2Normalize}. */
export const NORM_EPSILON = 1e-8;

/**
 * Scales each row of `x` [N, D] to unit length: `x / sqrt(Σ x² + ε)`.
 *
 * The epsilon sits inside the square root, so the norm is never zero: a zero row maps to a
 * zero row, and the gradient there is finite (`1/√ε` = 1e4 for ε = 1e-8) rather than the
 * NaN that `x / ‖x‖` gives. For rows with ‖x‖ ≫ √ε (= 1e-4) the effect is negligible.
 */
export function l2Normalize(x: tf.Tensor2D, epsilon: number = NORM_EPSILON): tf.Tensor2D {
  return normalizeWithGradient(x, epsilon);
}

/**
 * y = x·r with r = 1/sqrt(Σx² + ε), and its gradient written out: with y_i = x_i·r,
 * ∂L/∂x = r·(dy − y·Σ(dy·y)) (the ε stays inside r; no approximation). Five kernels
 * backward instead of the ~15 that differentiating div/sqrt/sum/square produces (with
 * their casts and reshapes): a normalisation runs twice per step, and on the native
 * backend each kernel launch costs about as much as the arithmetic on [256, 128].
 */
function normalizeWithGradient(x: tf.Tensor2D, epsilon: number): tf.Tensor2D {
  const normalize = tf.customGrad((input, save) => {
    // x·x, not tf.square: the same values, and wasm's Multiply is XNNPACK's (4x faster).
    const r = tf.rsqrt(tf.add(tf.sum(tf.mul(input as tf.Tensor2D, input as tf.Tensor2D), 1, true), epsilon));
    const y = tf.mul(input as tf.Tensor2D, r);
    (save as tf.GradSaveFunc)([y, r]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, [savedY, savedR]: tf.Tensor[]) =>
        tf.mul(tf.sub(dy, tf.mul(savedY, tf.sum(tf.mul(dy, savedY), 1, true))), savedR),
    };
  });
  return normalize(x) as tf.Tensor2D;
}

/**
 * Temperature-scaled cosine similarity: `logits[i, j] = cos(anchors[i], candidates[j]) / τ`,
 * the score of SimCLR (Chen et al. 2020, "A Simple Framework for Contrastive Learning of
 * Visual Representations", arXiv:2002.05709). Logits lie in [-1/τ, 1/τ]; a small τ
 * sharpens the softmax over candidates.
 *
 * @param anchors [N, D]
 * @param candidates [M, D]
 * @param temperature τ > 0
 * @returns logits [N, M]
 */
export function cosineScores(anchors: tf.Tensor2D, candidates: tf.Tensor2D, temperature: number): tf.Tensor2D {
  assertScoreInputs(anchors, candidates, 'cosine');
  if (!(temperature > 0)) throw new Error(`cosine score: temperature must be > 0, got ${temperature}`);
  return tf.tidy(() =>
    tf.div(tf.matMul(l2Normalize(anchors), l2Normalize(candidates), false, true), temperature),
  );
}

/** Options of the `cosine` score. */
export interface CosineScoreOptions {
  /** τ in cos(a, c) / τ; default 0.1. */
  temperature: number;
}

/** Cosine similarity divided by a fixed temperature (no learned parameters). */
export class CosineScore implements ScoreFunction {
  /** cos(a, c) = cos(c, a). */
  readonly transposeSwapsArguments = true;

  constructor(readonly temperature: number = 0.1) {
    if (!(temperature > 0)) throw new Error(`cosine score: temperature must be > 0, got ${temperature}`);
  }

  /** @see cosineScores */
  score(anchors: tf.Tensor2D, candidates: tf.Tensor2D): tf.Tensor2D {
    return cosineScores(anchors, candidates, this.temperature);
  }
}

/** Component definition of the `cosine` score (kind `score`). */
export const cosineScoreDefinition = defineComponent<'score', CosineScoreOptions>({
  kind: 'score',
  name: 'cosine',
  description: 'Cosine similarity divided by a temperature, cos(a,c)/τ (SimCLR, arXiv:2002.05709).',
  schema: {
    type: 'object',
    properties: {
      temperature: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 0.1,
        description: 'τ in cos(a,c)/τ; smaller values sharpen the distribution over candidates.',
      },
    },
    additionalProperties: false,
  },
  create: (options) => new CosineScore(options.temperature),
});
