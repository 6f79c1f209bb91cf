import type * as tf from '@tensorflow/tfjs';
import type { NegativeSampler } from '../contracts';
import { defineComponent } from '../registry/component-definition';

/**
 * In-batch negatives: for anchor i the candidates are the positive keys of the whole
 * batch; key i is its positive and the other B-1 keys are its negatives (the N-pair /
 * SimCLR construction). Nothing is stored between steps.
 *
 * Shapes: keys [B, D] -> candidates [B, D].
 */
export class InBatchNegatives implements NegativeSampler {
  candidates(keys: tf.Tensor2D): tf.Tensor2D {
    return keys;
  }
}

export const inBatchNegativesDefinition = defineComponent({
  kind: 'negatives',
  name: 'in-batch',
  description: 'The other examples of the batch are the negatives.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => new InBatchNegatives(),
});
