import {
  BUILTIN_ESTIMATOR_NAMES, defineComponent, featureMapSizes, isNoHead, type FeatureMapSize, UserInputError, type BuildContext, type BuiltinEstimatorName, type Encoder,
  type HasVariables, type ScoreFunction,
} from '@contrastive/framework';
import { DEFAULT_CRITIC_UNITS, DimCritic } from '../critic/dim-critic';
import { chooseFeatureLayer } from './feature-layer';
import { DimMethod } from './dim-method';
import { PriorDiscriminator } from '../prior/prior-discriminator';

/** Options of `method: { use: dim, ... }`. */
export interface DimOptions {
  /** Feature map for DIM(L); default: the deepest of at least 4x4. */
  layer?: string;
  /** α >= 0, weight of DIM(G). */
  alpha: number;
  /** β >= 0, weight of DIM(L). */
  beta: number;
  /** γ >= 0, weight of prior matching. */
  gamma: number;
  /** Hidden units of the prior discriminator. */
  priorUnits: number;
  /** The MI estimator of both objectives. */
  estimator: BuiltinEstimatorName;
  /** g of the `local-grid` evaluation representation. */
  representationGrid: number;
}

/** The default of every DIM option, and where it comes from. */
export const DIM_DEFAULTS: Omit<DimOptions, 'layer'> = {
  alpha: 0, // DIM(L) alone, the paper's best setting for downstream classification (Table 1)
  beta: 1,
  gamma: 0, // the paper's DIM(L) uses 0.1; off by default: an adversarial term, not tuned for our recipe (README)
  priorUnits: 200, // the paper's discriminator: 1000-200 units
  estimator: 'infonce', // the paper's best-performing estimator for classification (Table 1, with JSD close)
  representationGrid: 2,
};

const schema = {
  type: 'object',
  properties: {
    layer: { type: 'string', minLength: 1, description: 'Encoder feature map for DIM(L) (e.g. conv1, stage2); default the deepest map of at least 4x4.' },
    alpha: { type: 'number', minimum: 0, maximum: 1000, default: DIM_DEFAULTS.alpha, description: 'Weight of DIM(G), global vs global of a second view.' },
    beta: { type: 'number', minimum: 0, maximum: 1000, default: DIM_DEFAULTS.beta, description: 'Weight of DIM(L), global vs every location.' },
    gamma: { type: 'number', minimum: 0, maximum: 1000, default: DIM_DEFAULTS.gamma, description: 'Weight of prior matching (uniform prior on [0,1]^D against sigmoid of the global vector).' },
    priorUnits: { type: 'integer', minimum: 1, maximum: 8192, default: DIM_DEFAULTS.priorUnits, description: 'Hidden units of the prior discriminator.' },
    estimator: { enum: [...BUILTIN_ESTIMATOR_NAMES], default: DIM_DEFAULTS.estimator, description: 'MI estimator: infonce, jsd, dv or nce.' },
    representationGrid: {
      type: 'integer', minimum: 1, maximum: 16, default: DIM_DEFAULTS.representationGrid,
      description: 'Evaluation representation local-grid: the DIM(L) map average-pooled to this many cells per side.',
    },
  },
  additionalProperties: false,
};

/** DIM takes its negatives and its objective from the method; these slots must stay as they are. */
function refuseIgnoredSlots(ctx: BuildContext): void {
  if (ctx.slots.negatives.use !== 'in-batch') {
    throw new UserInputError(`negatives: dim contrasts each image with the other images' locations in the batch; "${ctx.slots.negatives.use}" is not supported, remove negatives:`);
  }
  if (!isNoHead(ctx.slots.head)) {
    throw new UserInputError(`head: dim scores through its own critic (score: dim-critic, units); a projection head "${ctx.slots.head!.use}" would not be used, remove head:`);
  }
  if (ctx.slots.loss.use !== 'infonce') {
    throw new UserInputError(`loss: dim's objective is chosen by method.estimator (${BUILTIN_ESTIMATOR_NAMES.join(', ')}), not the loss slot; remove loss: and set method.estimator`);
  }
}

/** The score slot as DIM(L)'s critic, told the sizes of the global vector and the map's channels. */
function buildLocalCritic(ctx: BuildContext, encoder: Encoder, map: FeatureMapSize): ScoreFunction {
  const spec = ctx.slots.score;
  if (spec.use !== 'dim-critic') return ctx.build('score', spec);
  for (const [key, want] of [['anchorDim', encoder.embeddingDim], ['candidateDim', map.channels]] as const) {
    if (spec[key] !== undefined && spec[key] !== want) {
      throw new UserInputError(`score.${key}: ${spec[key]} differs from what dim scores (${want}); remove score.${key}`);
    }
  }
  return ctx.build('score', { ...spec, anchorDim: encoder.embeddingDim, candidateDim: map.channels });
}

/**
 * Registry entry of Deep InfoMax (kind `method`, `method: { use: dim }`). Default slots:
 * the framework's `convnet`, `two-views` with mild crops and flips (DIM(G)'s second view;
 * DIM(L) trains on the first), the `dim-critic` score, in-batch negatives.
 */
export const dimMethodDefinition = defineComponent<'method', DimOptions>({
  kind: 'method',
  name: 'dim',
  description: 'Deep InfoMax: global vector vs local features (DIM(L)) and vs a second view (DIM(G)); InfoNCE, JSD, DV (arXiv:1808.06670).',
  schema,
  defaults: {
    encoder: { use: 'convnet' },
    positives: { use: 'two-views' },
    negatives: { use: 'in-batch' },
    score: { use: 'dim-critic' },
    loss: { use: 'infonce' },
    augment: [{ use: 'random-resized-crop', scale: [0.6, 1] }, { use: 'flip' }],
  },
  create: (options, ctx) => {
    refuseIgnoredSlots(ctx);
    const encoder = ctx.build('encoder', ctx.slots.encoder);
    const built: Array<Partial<HasVariables>> = [encoder];
    const track = <T>(part: T): T => (built.push(part as Partial<HasVariables>), part);
    try {
      const map = chooseFeatureLayer(featureMapSizes(encoder, ctx.inputShape), options.layer, ctx.inputShape);
      if (options.representationGrid > Math.min(map.height, map.width)) {
        throw new UserInputError(`method.representationGrid: ${options.representationGrid} cells per side is more than the ${map.height}x${map.width} map of ${map.name} has`);
      }
      const localCritic = buildLocalCritic(ctx, encoder, map);
      built.push(localCritic);
      const units = typeof ctx.slots.score.units === 'number' ? ctx.slots.score.units : DEFAULT_CRITIC_UNITS;
      const globalCritic = options.alpha > 0
        ? track(new DimCritic({ anchorDim: encoder.embeddingDim, candidateDim: encoder.embeddingDim, units }, ctx.rng.fork(), 'global-critic'))
        : null;
      return new DimMethod({
        encoder,
        positives: ctx.build('positives', ctx.slots.positives),
        localCritic,
        globalCritic,
        estimator: ctx.build('estimator', { use: options.estimator }),
        prior: options.gamma > 0 ? track(new PriorDiscriminator(encoder.embeddingDim, options.priorUnits, ctx.rng.fork())) : null,
      }, { layer: map.name, alpha: options.alpha, beta: options.beta, gamma: options.gamma, representationGrid: options.representationGrid });
    } catch (err) {
      built.forEach((part) => part.dispose?.());
      throw err;
    }
  },
});
