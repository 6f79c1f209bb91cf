import {
  BUILTIN_ESTIMATOR_NAMES, defineComponent, describeFeatureMap, featureMapSizes, isNoHead, UserInputError,
  type BuiltinEstimatorName, type Encoder, type HasVariables,
} from '@contrastive/framework';
import { AmdimMethod } from './amdim-method';
import { GLOBAL_SCALE, MultiscaleEmbeddings } from './multiscale-embeddings';
import type { Comparison } from './multiscale-loss';

/** Options of `method: { use: amdim, ... }`. */
export interface AmdimOptions {
  comparisons: Comparison[];
  /** Size of the common embedding space of all scales. */
  dim: number;
  clip: number;
  penaltyWeight: number;
  estimator: BuiltinEstimatorName;
  /** Feature map of the `local-grid` evaluation representation; default the compared map with the most locations. */
  representationScale?: string;
  representationGrid: number;
}

/** The default of every AMDIM option, and where it comes from. */
export const AMDIM_DEFAULTS: AmdimOptions = {
  // The paper's 1-5, 1-7 and 5-5 (global to the 5x5 and 7x7 maps, 5x5 to 5x5 of the other
  // view) on 128x128 images; on 28x28 with the convnet, conv2 is 4x4 and conv1 7x7.
  comparisons: [{ from: GLOBAL_SCALE, to: 'conv2' }, { from: GLOBAL_SCALE, to: 'conv1' }, { from: 'conv2', to: 'conv2' }],
  dim: 256, // the paper's ndf-sized embeddings are 1024-2560 wide on ImageNet encoders
  clip: 20, // the paper's tanh clip value
  penaltyWeight: 4e-2, // the paper's weight of the squared-score penalty
  estimator: 'infonce', // the paper's NCE over all other images' features
  representationGrid: 2,
};

const schema = {
  type: 'object',
  properties: {
    comparisons: {
      type: 'array', minItems: 1, default: AMDIM_DEFAULTS.comparisons,
      description: 'Which scales are compared: from (view 1) -> to (view 2), both directions. Scales: global or an encoder feature map.',
      items: {
        type: 'object', required: ['from', 'to'], additionalProperties: false,
        properties: { from: { type: 'string', minLength: 1 }, to: { type: 'string', minLength: 1 } },
      },
    },
    dim: { type: 'integer', minimum: 1, maximum: 8192, default: AMDIM_DEFAULTS.dim, description: 'Embedding size shared by all scales.' },
    clip: { type: 'number', exclusiveMinimum: 0, maximum: 1e6, default: AMDIM_DEFAULTS.clip, description: 'c of the soft clip c·tanh(s/c).' },
    penaltyWeight: { type: 'number', minimum: 0, maximum: 1000, default: AMDIM_DEFAULTS.penaltyWeight, description: 'Weight of the mean squared raw score.' },
    estimator: { enum: [...BUILTIN_ESTIMATOR_NAMES], default: AMDIM_DEFAULTS.estimator, description: 'MI estimator: infonce (AMDIM\'s NCE), jsd, dv or nce.' },
    representationScale: { type: 'string', minLength: 1, description: 'Feature map of the local-grid evaluation representation; default the compared map with the most locations.' },
    representationGrid: { type: 'integer', minimum: 1, maximum: 16, default: AMDIM_DEFAULTS.representationGrid, description: 'Cells per side of local-grid.' },
  },
  additionalProperties: false,
};

/** Channels of every scale the comparisons name; unknown scales stop with the valid ones listed. */
function scaleChannels(comparisons: Comparison[], encoder: Encoder, inputShape: readonly [number, number, number]): Record<string, number> {
  const sizes = featureMapSizes(encoder, inputShape);
  const valid = [`${GLOBAL_SCALE} (1x1x${encoder.embeddingDim})`, ...sizes.map(describeFeatureMap)].join(', ');
  const channels: Record<string, number> = {};
  comparisons.forEach((c, i) => {
    for (const end of ['from', 'to'] as const) {
      const name = c[end];
      if (name === GLOBAL_SCALE) { channels[name] = encoder.embeddingDim; continue; }
      const size = sizes.find((s) => s.name === name);
      if (!size) throw new UserInputError(`method.comparisons[${i}].${end}: the encoder has no scale "${name}"; valid scales: ${valid}`);
      channels[name] = size.channels;
    }
  });
  return channels;
}

/** The map of `local-grid`: the option if valid, else the compared feature map with the most locations. */
function chooseRepresentationScale(options: AmdimOptions, encoder: Encoder, inputShape: readonly [number, number, number]): string {
  const sizes = featureMapSizes(encoder, inputShape).filter((s) => s.height >= options.representationGrid && s.width >= options.representationGrid);
  const valid = sizes.map(describeFeatureMap).join(', ') || '(none)';
  if (options.representationScale !== undefined) {
    if (!sizes.some((s) => s.name === options.representationScale)) {
      throw new UserInputError(`method.representationScale: "${options.representationScale}" is not a feature map of at least ${options.representationGrid}x${options.representationGrid}; valid choices: ${valid}`);
    }
    return options.representationScale;
  }
  const compared = sizes.filter((s) => options.comparisons.some((c) => c.from === s.name || c.to === s.name));
  const pick = [...(compared.length ? compared : sizes)].sort((a, b) => b.height * b.width - a.height * a.width)[0];
  // No map fits the grid: local-grid then fails when asked for, naming the option.
  return pick?.name ?? '';
}

/**
 * Registry entry of AMDIM (kind `method`, `method: { use: amdim }`). Default slots: the
 * `convnet`, `two-views` with crops, flips and colour jitter (AMDIM's augmentations on grey
 * images), in-batch negatives.
 */
export const amdimMethodDefinition = defineComponent<'method', AmdimOptions>({
  kind: 'method',
  name: 'amdim',
  description: 'Augmented Multiscale DIM: features of two views compared across scales with NCE (arXiv:1906.00910).',
  schema,
  defaults: {
    encoder: { use: 'convnet' },
    positives: { use: 'two-views' },
    negatives: { use: 'in-batch' },
    score: { use: 'dot' },
    loss: { use: 'infonce' },
    augment: [{ use: 'random-resized-crop', scale: [0.5, 1] }, { use: 'flip' }, { use: 'color-jitter', brightness: 0.4, contrast: 0.4, p: 0.8 }],
  },
  create: (options, ctx) => {
    for (const [slot, want] of [['negatives', 'in-batch'], ['score', 'dot'], ['loss', 'infonce']] as const) {
      if (ctx.slots[slot].use !== want) {
        throw new UserInputError(`${slot}: amdim computes its own (scaled dot scores of per-scale embeddings, NCE over the batch, method.estimator); remove ${slot}:`);
      }
    }
    if (!isNoHead(ctx.slots.head)) {
      throw new UserInputError(`head: amdim embeds every scale itself (method.dim); a projection head "${ctx.slots.head!.use}" would not be used, remove head:`);
    }
    const encoder = ctx.build('encoder', ctx.slots.encoder);
    const built: Array<Partial<HasVariables>> = [encoder];
    try {
      const embeddings = new MultiscaleEmbeddings(scaleChannels(options.comparisons, encoder, ctx.inputShape), options.dim, ctx.rng.fork());
      const representationScale = chooseRepresentationScale(options, encoder, ctx.inputShape);
      built.push(embeddings);
      return new AmdimMethod({
        encoder, embeddings, positives: ctx.build('positives', ctx.slots.positives), estimator: ctx.build('estimator', { use: options.estimator }),
      }, { comparisons: options.comparisons, clip: options.clip, penaltyWeight: options.penaltyWeight, representationScale, representationGrid: options.representationGrid });
    } catch (err) {
      built.forEach((part) => part.dispose?.());
      throw err;
    }
  },
});
