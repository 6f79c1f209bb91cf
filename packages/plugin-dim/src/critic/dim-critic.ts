import * as tf from '@tensorflow/tfjs';
import {
  defineComponent, isNoHead, ResidualProjection, UserInputError, VariableOwner, VariableStore, type BuildContext, type Rng, type ScoreFunction,
} from '@contrastive/framework';

/** Sizes of a {@link DimCritic}. */
export interface DimCriticSizes {
  /** D_a of the anchors (DIM: the global vector). */
  anchorDim: number;
  /** D_c of the candidates (DIM: a local feature vector, the channels of the map). */
  candidateDim: number;
  /** Size of both projections, and of their hidden layers. */
  units: number;
}

/**
 * DIM's "encoder-and-dot" critic (Hjelm et al. 2018, arXiv:1808.06670, appendix A.2): the
 * anchors and the candidates are each projected by a {@link ResidualProjection} into a
 * common space of `units` dimensions and scored by the dot product:
 *
 *   T(a, c) = f_a(a) · f_c(c),    scores [N, D_a] x [M, D_c] -> [N, M].
 *
 * For DIM(L) the candidates are a feature map's locations, so f_c is a stack of 1x1
 * convolutions over the map. A `ScoreFunction`, so it can score any method's pairs whose
 * sizes fit (e.g. the baseline `infonce` with anchorDim = candidateDim = embeddingDim).
 * Variables `<prefix>/anchor/...`, `<prefix>/candidate/...`.
 *
 * @example
 * ```ts
 * const critic = new DimCritic({ anchorDim: 128, candidateDim: 64, units: 256 }, rng);
 * const scores = critic.score(globals, flattenLocations(map)); // [B, B·H·W]
 * ```
 */
export class DimCritic extends VariableOwner implements ScoreFunction {
  private readonly anchor: ResidualProjection;
  private readonly candidate: ResidualProjection;

  constructor(readonly sizes: DimCriticSizes, rng: Rng, prefix = 'score/dim-critic') {
    super(new VariableStore(prefix, rng));
    this.anchor = new ResidualProjection(this.store, 'anchor', sizes.anchorDim, sizes.units);
    this.candidate = new ResidualProjection(this.store, 'candidate', sizes.candidateDim, sizes.units);
  }

  /** @see DimCritic */
  score(anchors: tf.Tensor2D, candidates: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.matMul(this.anchor.apply(anchors), this.candidate.apply(candidates), false, true));
  }
}

/** Options of `score: { use: dim-critic }`. */
export interface DimCriticOptions {
  units: number;
  /** Default: the head's outputDim, else the encoder spec's embeddingDim (a method such as `dim` sets it itself). */
  anchorDim?: number;
  /** Default: anchorDim. */
  candidateDim?: number;
}

/** Hidden and output size of the critic's projections (DIM: 2048 on ImageNet-sized models). */
export const DEFAULT_CRITIC_UNITS = 256;

/**
 * The size of what the method scores: `anchorDim` if given; else the head's `outputDim` when
 * the run has a projection head (the loss sees the head's output, framework API 1.1); else
 * the encoder spec's `embeddingDim`.
 */
function anchorDimOf(options: DimCriticOptions, ctx: BuildContext): number {
  if (options.anchorDim !== undefined) return options.anchorDim;
  const head = ctx.slots?.head;
  if (!isNoHead(head) && typeof head?.outputDim === 'number') return head.outputDim;
  const fromEncoder = ctx.slots?.encoder?.embeddingDim;
  if (typeof fromEncoder === 'number') return fromEncoder;
  throw new UserInputError('score.anchorDim: the dim-critic needs the size of its anchors; set score.anchorDim or encoder.embeddingDim');
}

/** Registry entry of the critic (kind `score`, `score: { use: dim-critic }`). */
export const dimCriticDefinition = defineComponent<'score', DimCriticOptions>({
  kind: 'score',
  name: 'dim-critic',
  description: 'DIM encoder-and-dot critic: residual MLP projections of anchors and candidates, then dot product (arXiv:1808.06670).',
  schema: {
    type: 'object',
    properties: {
      units: { type: 'integer', minimum: 1, maximum: 8192, default: DEFAULT_CRITIC_UNITS, description: 'Size of both projections (DIM: 2048).' },
      anchorDim: { type: 'integer', minimum: 1, maximum: 65536, description: 'Size of the anchors; default the head\'s outputDim if there is a head, else the encoder\'s embeddingDim (set by the dim method).' },
      candidateDim: { type: 'integer', minimum: 1, maximum: 65536, description: 'Size of the candidates; default anchorDim (the dim method sets the feature map\'s channels).' },
    },
    additionalProperties: false,
  },
  create: (options, ctx) => {
    const anchorDim = anchorDimOf(options, ctx);
    return new DimCritic({ anchorDim, candidateDim: options.candidateDim ?? anchorDim, units: options.units }, ctx.rng.fork());
  },
});
