import * as tf from '@tensorflow/tfjs';
import type { HasVariables, Rng, ScoreFunction } from '../contracts';
import { defineComponent, type BuildContext } from '../registry/component-definition';
import { VariableOwner } from '../nn/variable-owner';
import { VariableStore } from '../nn/variable-store';
import { assertScoreInputs } from './check-inputs';

/** Embedding dimension assumed when neither `dim` nor the encoder spec gives one. */
export const DEFAULT_BILINEAR_DIM = 128;

/** Standard deviation of the noise added to the identity when W is initialised. */
export const BILINEAR_INIT_NOISE = 0.01;

/**
 * Bilinear scores: `logits[i, j] = anchors[i]ᵀ W candidates[j]`, i.e. `A W Cᵀ`.
 *
 * @param anchors [N, D]
 * @param candidates [M, D]
 * @param weight W [D, D]
 * @returns logits [N, M]
 */
export function bilinearScores(anchors: tf.Tensor2D, candidates: tf.Tensor2D, weight: tf.Tensor2D): tf.Tensor2D {
  assertScoreInputs(anchors, candidates, 'bilinear');
  const d = anchors.shape[1];
  if (weight.rank !== 2 || weight.shape[0] !== d || weight.shape[1] !== d) {
    throw new Error(
      `bilinear score: W is [${weight.shape}] but the embeddings have dimension ${d}; ` +
        `set the score's "dim" option (or the encoder's embeddingDim) to ${d}`,
    );
  }
  return tf.tidy(() => tf.matMul(tf.matMul(anchors, weight), candidates, false, true));
}

/**
 * The log-bilinear score of Contrastive Predictive Coding (van den Oord et al. 2018,
 * "Representation Learning with Contrastive Predictive Coding", arXiv:1807.03748), which
 * scores a pair with `aᵀ W c` for a learned W [D, D].
 *
 * W is created at construction (named `score/bilinear/W`) so that the trainer, which
 * collects trainable variables before the first step, optimises it. It is initialised to
 * the identity plus N(0, 0.01²) noise drawn from the seeded Rng: the identity makes the
 * initial score exactly the dot product, a well-scaled starting point that already gives
 * the encoder useful gradients (a random W would start from logits of arbitrary scale and
 * sign); the small noise keeps W a generic, seed-dependent matrix like every other weight
 * without changing that starting behaviour.
 */
export class BilinearScore extends VariableOwner implements ScoreFunction, HasVariables {
  /** W [dim, dim]. */
  readonly weight: tf.Variable<tf.Rank.R2>;

  /**
   * @param dim D, the embedding dimension the score will be called with
   * @param rng seeds the initialisation noise
   * @param prefix name prefix of the variable (default `score/bilinear`)
   */
  constructor(readonly dim: number, rng: Rng, prefix = 'score/bilinear') {
    super(new VariableStore(prefix, rng));
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`bilinear score: dim must be an integer >= 1, got ${dim}`);
    const seed = rng.seed();
    const initial = tf.tidy(() => tf.add(tf.eye(dim), tf.randomNormal([dim, dim], 0, BILINEAR_INIT_NOISE, 'float32', seed)));
    this.weight = this.store.add('W', initial, true) as tf.Variable<tf.Rank.R2>;
  }

  /** @see bilinearScores */
  score(anchors: tf.Tensor2D, candidates: tf.Tensor2D): tf.Tensor2D {
    return bilinearScores(anchors, candidates, this.weight);
  }
}

/** Options of the `bilinear` score. */
export interface BilinearScoreOptions {
  /** D; when absent, the encoder spec's `embeddingDim`, else {@link DEFAULT_BILINEAR_DIM}. */
  dim?: number;
}

/**
 * The dimension of W for a build: the `dim` option if given, else the `embeddingDim` of the
 * resolved encoder spec (`ctx.slots.encoder`) if it is a number, else 128.
 */
export function resolveBilinearDim(options: BilinearScoreOptions, ctx: Pick<BuildContext, 'slots'> | undefined): number {
  if (options.dim !== undefined) return options.dim;
  const fromEncoder = ctx?.slots?.encoder?.embeddingDim;
  return typeof fromEncoder === 'number' ? fromEncoder : DEFAULT_BILINEAR_DIM;
}

/**
 * Component definition of the `bilinear` score (kind `score`). W is built in `create` with
 * a fork of `ctx.rng`; its size comes from {@link resolveBilinearDim}. If the encoder's
 * embedding dimension is only set by the encoder's own default (not written in the spec),
 * give `dim` explicitly; a mismatch is reported on the first `score` call.
 */
export const bilinearScoreDefinition = defineComponent<'score', BilinearScoreOptions>({
  kind: 'score',
  name: 'bilinear',
  description: 'Learned bilinear form aᵀWc with W [D,D] initialised near the identity (CPC, arXiv:1807.03748).',
  schema: {
    type: 'object',
    properties: {
      dim: {
        type: 'integer',
        minimum: 1,
        description: 'Embedding dimension D of W; default: the encoder spec\'s embeddingDim, else 128.',
      },
    },
    additionalProperties: false,
  },
  create: (options, ctx) => new BilinearScore(resolveBilinearDim(options, ctx), ctx.rng.fork()),
});
