import {
  buildHead, defineComponent, HeadedEncoder, isNoHead, UserInputError, type BuildContext, type ComponentSpec, type Encoder,
  type HasVariables, type NegativeSampler,
} from '@contrastive/framework';
import { isMomentumEncoder, MomentumEncoder } from '../momentum/momentum-encoder';
import { momentumScheduleSchema, type MomentumScheduleKind } from '../momentum/momentum-schedule';
import { DEFAULT_QUEUE_SIZE } from '../queue/queue-definition';
import type { BatchNormMode } from './batch-norm-groups';
import { MocoMethod, type MocoParts } from './moco-method';

/** Options of `method: { use: moco, ... }`. */
export interface MocoOptions {
  /** K; when set, the size of a `queue` negatives slot (default: the queue's own, 4096). */
  queueSize?: number;
  /** m in theta_k <- m theta_k + (1 - m) theta_q, in [0, 1]. */
  momentum: number;
  /** `constant` m, or `cosine`: from m up to 1 over the run. */
  momentumSchedule: MomentumScheduleKind;
  /** tau > 0: logits are scores / tau. */
  temperature: number;
  /** `mlp`: the v2 head on the encoder; `none`: the encoder output is q (v1). */
  projectionHead: 'mlp' | 'none';
  /** Hidden units of the head. */
  projectionHiddenDim: number;
  /** Size of q, k and the queued keys when there is a head. */
  projectionDim: number;
  /** Also swap the views, average both losses and enqueue both sets of keys. */
  symmetric: boolean;
  /** How batch norm sees the batch on one device; see {@link BatchNormMode}. */
  batchNorm: BatchNormMode;
  /** Groups (simulated devices) for `shuffle` and `split`. */
  batchNormGroups: number;
}

/** The default of every MoCo option, and where it comes from. */
export const MOCO_DEFAULTS: Omit<MocoOptions, 'queueSize'> = {
  momentum: 0.99, // v1/v2 use 0.999 for 800k ImageNet steps; 0.99 suits runs of a few thousand steps
  momentumSchedule: 'constant', // v1/v2
  temperature: 0.2, // v2 (v1: 0.07)
  projectionHead: 'mlp', // v2 (v1: none, the encoder's own linear output)
  projectionHiddenDim: 512, // v2: 2048 on ResNet-50's 2048-d features
  projectionDim: 128, // v1 and v2
  symmetric: false, // v1/v2 (the symmetrised loss is in MoCo's CIFAR demo and v3)
  batchNorm: 'shuffle', // v1/v2 Shuffling BN, emulated on one device
  batchNormGroups: 4,
};

const schema = {
  type: 'object',
  properties: {
    queueSize: {
      type: 'integer', minimum: 1, maximum: 1048576,
      description: `K, negatives kept in the queue (default ${DEFAULT_QUEUE_SIZE}); need not be a multiple of the batch size. Same as negatives.size.`,
    },
    ...momentumScheduleSchema(MOCO_DEFAULTS.momentum),
    temperature: {
      type: 'number', exclusiveMinimum: 0, maximum: 100, default: MOCO_DEFAULTS.temperature,
      description: 'tau: logits are scores / tau (v1: 0.07, v2: 0.2).',
    },
    projectionHead: {
      enum: ['mlp', 'none'], default: MOCO_DEFAULTS.projectionHead,
      description: 'mlp: Dense-ReLU-Dense head on the encoder (v2); none: the encoder output is q (v1).',
    },
    projectionHiddenDim: { type: 'integer', minimum: 1, maximum: 16384, default: MOCO_DEFAULTS.projectionHiddenDim },
    projectionDim: { type: 'integer', minimum: 1, maximum: 16384, default: MOCO_DEFAULTS.projectionDim },
    symmetric: {
      type: 'boolean', default: MOCO_DEFAULTS.symmetric,
      description: 'Also swap the views and average both losses; enqueues both sets of keys.',
    },
    batchNorm: {
      enum: ['shuffle', 'split', 'global'], default: MOCO_DEFAULTS.batchNorm,
      description: 'shuffle: Shuffling BN emulated with batchNormGroups groups; split: groups without shuffling (leaks, for ablation); global: one BN over the batch.',
    },
    batchNormGroups: {
      type: 'integer', minimum: 2, maximum: 256, default: MOCO_DEFAULTS.batchNormGroups,
      description: 'Sub-batches with their own BN statistics (simulated devices) for shuffle and split.',
    },
  },
  additionalProperties: false,
};

/**
 * The negatives slot, built for MoCo's keys: a `queue` gets its size from `method.queueSize`
 * (or its own `size`) and its dim from the key size.
 */
function buildNegatives(options: MocoOptions, ctx: BuildContext, keyDim: number): NegativeSampler {
  const spec: ComponentSpec = ctx.slots.negatives;
  if (spec.use !== 'queue') {
    if (options.queueSize !== undefined) {
      throw new UserInputError(`method.queueSize: sets the size of a \`queue\` negatives slot, but negatives is "${spec.use}"; remove method.queueSize`);
    }
    return ctx.build('negatives', spec);
  }
  if (options.queueSize !== undefined && spec.size !== undefined && spec.size !== options.queueSize) {
    throw new UserInputError(
      `method.queueSize (${options.queueSize}) and negatives.size (${spec.size}) disagree; set the queue size in one place`,
    );
  }
  if (spec.dim !== undefined && spec.dim !== keyDim) {
    throw new UserInputError(`negatives.dim (${spec.dim}) differs from the size of MoCo's keys (${keyDim}); remove negatives.dim`);
  }
  return ctx.build('negatives', { ...spec, size: options.queueSize ?? spec.size ?? DEFAULT_QUEUE_SIZE, dim: keyDim });
}

/** f_q = encoder (+ head), f_k = a second instance of the same spec, as a MomentumEncoder. */
function buildEncoders(options: MocoOptions, ctx: BuildContext): { backbone: Encoder; encoders: MomentumEncoder } {
  const backbone = ctx.build('encoder', ctx.slots.encoder);
  if (isMomentumEncoder(backbone)) {
    backbone.dispose();
    throw new UserInputError(
      'encoder: MoCo builds its own momentum key encoder from the encoder slot; give the plain encoder (e.g. { use: convnet }) and set method.momentum',
    );
  }
  const keyBackbone = ctx.build('encoder', ctx.slots.encoder);
  if (options.projectionHead === 'none' && isNoHead(ctx.slots.head)) {
    return { backbone, encoders: new MomentumEncoder(backbone, keyBackbone, { momentum: options.momentum, schedule: options.momentumSchedule }) };
  }
  // The framework's head component: the config's `head:` slot when it sets one, else the
  // v2 MLP sized by projectionHiddenDim / projectionDim. One head per encoder; the key's is
  // the momentum copy of the query's.
  const spec: ComponentSpec = isNoHead(ctx.slots.head)
    ? { use: 'mlp', hiddenDims: [options.projectionHiddenDim], outputDim: options.projectionDim }
    : (ctx.slots.head as ComponentSpec);
  const online = new HeadedEncoder(backbone, buildHead(ctx, backbone.embeddingDim, spec));
  const key = new HeadedEncoder(keyBackbone, buildHead(ctx, keyBackbone.embeddingDim, spec));
  return { backbone, encoders: new MomentumEncoder(online, key, { momentum: options.momentum, schedule: options.momentumSchedule }) };
}

/**
 * Registry entry of MoCo (kind `method`, `method: { use: moco }`). Its default slots are
 * MoCo v2's: a `queue` of negatives, `dot` score on L2-normalised q and k (divided by
 * `temperature`), InfoNCE, and the v2 augmentations (crop scale 0.2-1, colour jitter 0.4
 * with p 0.8, grayscale p 0.2, Gaussian blur p 0.5, flip).
 */
export const mocoMethodDefinition = defineComponent<'method', MocoOptions>({
  kind: 'method',
  name: 'moco',
  description: 'Momentum Contrast (v1/v2): momentum key encoder, FIFO queue of negatives (arXiv:1911.05722, arXiv:2003.04297).',
  schema,
  defaults: {
    encoder: { use: 'convnet' },
    positives: { use: 'two-views' },
    negatives: { use: 'queue' },
    score: { use: 'dot' },
    loss: { use: 'infonce' },
    augment: [
      { use: 'random-resized-crop', scale: [0.2, 1] },
      { use: 'color-jitter', brightness: 0.4, contrast: 0.4, p: 0.8 },
      { use: 'random-grayscale', p: 0.2 },
      { use: 'gaussian-blur', p: 0.5, sigma: [0.1, 2.0] },
      { use: 'flip' },
    ],
  },
  create: (options, ctx) => {
    const { backbone, encoders } = buildEncoders(options, ctx);
    const built: Array<Partial<HasVariables>> = [encoders];
    const track = <T>(part: T): T => (built.push(part as Partial<HasVariables>), part);
    try {
      const parts: MocoParts = {
        backbone,
        encoders,
        negatives: track(buildNegatives(options, ctx, encoders.embeddingDim)),
        positives: ctx.build('positives', ctx.slots.positives),
        score: track(ctx.build('score', ctx.slots.score)),
        loss: ctx.build('loss', ctx.slots.loss),
      };
      return new MocoMethod(parts, options);
    } catch (err) {
      built.forEach((part) => part.dispose?.());
      throw err;
    }
  },
});
