import { defineComponent, type BuildContext } from '../registry/component-definition';
import { UserInputError } from '../registry/errors';
import { isNoHead } from '../heads/build-head';
import { MemoryBankNegatives } from './memory-bank-negatives';

/** Options of the `memory-bank` negatives component, as written in a config. */
export interface MemoryBankComponentOptions {
  size?: number;
  dim?: number;
  momentum: number;
  negatives: number;
  positive: 'key' | 'bank';
}

function sizeOf(o: MemoryBankComponentOptions, ctx: BuildContext): number {
  if (o.size !== undefined) return o.size;
  if (ctx.trainingExamples !== undefined) return ctx.trainingExamples;
  throw new UserInputError('negatives.size: the memory bank cannot tell how many training examples there are here; set negatives.size');
}

/** The key size: `dim`, else the head's `outputDim` when the run has a head (the loss sees its output), else the encoder's `embeddingDim`. */
function dimOf(o: MemoryBankComponentOptions, ctx: BuildContext): number {
  if (o.dim !== undefined) return o.dim;
  const head = ctx.slots.head;
  if (!isNoHead(head)) {
    if (typeof head!.outputDim === 'number') return head!.outputDim;
    throw new UserInputError(`negatives.dim: the memory bank cannot tell the size of the keys (head "${head!.use}" has no outputDim option); set negatives.dim`);
  }
  const fromEncoder = ctx.slots.encoder.embeddingDim;
  if (typeof fromEncoder === 'number') return fromEncoder;
  throw new UserInputError(`negatives.dim: the memory bank cannot tell the size of the keys (encoder "${ctx.slots.encoder.use}" has no embeddingDim option); set negatives.dim`);
}

/**
 * Registry entry of the `memory-bank` negatives (kind `negatives`, API 1.4): one
 * momentum-updated entry per training example, K sampled entries as negatives. Usable by any
 * method that passes its step context to its negatives (the framework's `infonce`, CMC).
 * See {@link MemoryBankNegatives}.
 */
export const memoryBankNegativesDefinition = defineComponent<'negatives', MemoryBankComponentOptions>({
  kind: 'negatives',
  name: 'memory-bank',
  description: 'One momentum-updated entry per training example; K sampled entries are the negatives (InstDisc arXiv:1805.01978, CMC arXiv:1906.05849).',
  schema: {
    type: 'object',
    properties: {
      size: { type: 'integer', minimum: 1, description: 'N, entries (default: the number of training examples).' },
      dim: { type: 'integer', minimum: 1, maximum: 65536, description: 'D, the size of the keys (default: the head\'s outputDim with a head, else the encoder\'s embeddingDim).' },
      momentum: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'm in v <- normalize(m v + (1 - m) z); the paper\'s 0.5.' },
      negatives: { type: 'integer', minimum: 0, maximum: 1048576, default: 4096, description: 'K, entries sampled per step (uniform, with replacement; shared by the batch). Paper: 16384.' },
      positive: { enum: ['key', 'bank'], default: 'bank', description: 'Row i\'s positive: its bank entry (bank, the paper\'s) or the current key (key: gradients reach both encoders).' },
    },
    additionalProperties: false,
  },
  create: (o, ctx) => new MemoryBankNegatives(
    { size: sizeOf(o, ctx), dim: dimOf(o, ctx), momentum: o.momentum, negatives: o.negatives, positive: o.positive },
    ctx.rng.fork(),
  ),
});
