import type * as tf from '@tensorflow/tfjs';
import type { ProjectionHead } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { INPUT_DIM_SCHEMA, requireInputDim } from './head-options';

/**
 * No head: z = h. The default of the `head` slot, so a method without a head in its
 * defaults computes its loss on the encoder's representation, as before framework API 1.1.
 *
 * @example
 * ```yaml
 * head: { use: none }
 * ```
 */
export class IdentityHead implements ProjectionHead {
  constructor(readonly inputDim: number) {}

  get outputDim(): number {
    return this.inputDim;
  }

  /** @param h [B, inputDim] @returns h itself (the caller owns it) */
  apply(h: tf.Tensor2D): tf.Tensor2D {
    return h;
  }

  trainableVariables(): tf.Variable[] {
    return [];
  }

  namedVariables(): Map<string, tf.Variable> {
    return new Map();
  }

  dispose(): void {}
}

/** Registry entry of the `none` head (kind `head`). */
export const identityHeadDefinition = defineComponent<'head', { inputDim?: number }>({
  kind: 'head',
  name: 'none',
  description: 'No projection head: the loss sees the encoder\'s representation.',
  schema: { type: 'object', properties: { inputDim: INPUT_DIM_SCHEMA }, additionalProperties: false },
  create: (options) => new IdentityHead(requireInputDim(options, 'none')),
});
