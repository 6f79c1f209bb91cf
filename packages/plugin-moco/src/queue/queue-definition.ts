import { defineComponent, UserInputError, type BuildContext } from '@contrastive/framework';
import { QueueNegatives } from './queue-negatives';

/** K when neither `negatives.size` nor MoCo's `method.queueSize` sets it. */
export const DEFAULT_QUEUE_SIZE = 4096;

/** Options of the `queue` negatives component, as written in a config. */
export interface QueueComponentOptions {
  /** K (default {@link DEFAULT_QUEUE_SIZE}). */
  size?: number;
  /** D (default: the method's key size; otherwise the encoder's `embeddingDim`). */
  dim?: number;
  /** Store L2-normalised keys (default true). */
  normalize: boolean;
}

/**
 * The key dimension a queue is built for: its own `dim`; else, when the run has a projection
 * head (framework API 1.1), the head's `outputDim` (the loss sees the head's output); else the
 * size of the encoder slot's representation (its `embeddingDim`, or for a `convnet` with
 * `projection: false` its last stage's channels).
 */
function keyDim(options: QueueComponentOptions, ctx: BuildContext): number {
  if (options.dim !== undefined) return options.dim;
  const head = ctx.slots.head;
  if (head && head.use !== 'none' && typeof head.outputDim === 'number') return head.outputDim;
  const encoder = ctx.slots.encoder;
  const channels = encoder.channels;
  if (encoder.projection === false && Array.isArray(channels) && typeof channels[channels.length - 1] === 'number') {
    return channels[channels.length - 1] as number;
  }
  if (typeof encoder.embeddingDim === 'number') return encoder.embeddingDim;
  throw new UserInputError(
    `negatives.dim: the queue cannot tell the size of the keys (encoder "${encoder.use}" has no embeddingDim option); set negatives.dim`,
  );
}

/**
 * Registry entry of the `queue` negatives (kind `negatives`): a FIFO queue of past keys,
 * usable by any method whose negatives slot it fills (MoCo's default; also the framework's
 * `infonce` baseline). See {@link QueueNegatives}.
 */
export const queueNegativesDefinition = defineComponent<'negatives', QueueComponentOptions>({
  kind: 'negatives',
  name: 'queue',
  description: 'FIFO queue of the keys of the last steps as extra negatives (MoCo, arXiv:1911.05722).',
  schema: {
    type: 'object',
    properties: {
      size: {
        type: 'integer', minimum: 1, maximum: 1048576,
        description: `K, the number of stored keys (default ${DEFAULT_QUEUE_SIZE}; with MoCo, method.queueSize may set it instead). Need not be a multiple of the batch size.`,
      },
      dim: {
        type: 'integer', minimum: 1, maximum: 65536,
        description: 'D, the size of the keys (default: what the method produces; otherwise the encoder\'s embeddingDim).',
      },
      normalize: { type: 'boolean', default: true, description: 'Store L2-normalised keys, as MoCo does.' },
    },
    additionalProperties: false,
  },
  create: (options, ctx) =>
    new QueueNegatives(
      { size: options.size ?? DEFAULT_QUEUE_SIZE, dim: keyDim(options, ctx), normalize: options.normalize },
      ctx.rng.fork(),
    ),
});
