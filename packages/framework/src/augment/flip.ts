import * as tf from '@tensorflow/tfjs';
import type { Augmentation, Images, Rng } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { drawMask, selectPerExample } from './per-example';

/** Options of the `flip` augmentation. */
export interface FlipOptions {
  /** Probability of flipping each example. */
  p: number;
}

/**
 * Random horizontal flip: each example is mirrored left-right (reversed along the width
 * axis) with probability `p`. Part of SimCLR's crop-and-flip pipeline (arXiv:2002.05709).
 * Draws one uniform per example from the rng.
 */
export class RandomFlip implements Augmentation {
  constructor(readonly options: FlipOptions) {}

  apply(x: Images, rng: Rng): Images {
    const mask = drawMask(rng, x.shape[0], this.options.p);
    return tf.tidy(() => selectPerExample(mask, tf.reverse(x, 2), x));
  }
}

/** `augment: [{ use: flip, p: 0.5 }]` */
export const flipAugment = defineComponent<'augment', FlipOptions>({
  kind: 'augment',
  name: 'flip',
  description: 'Random horizontal flip with probability p (SimCLR, arXiv:2002.05709).',
  schema: {
    type: 'object',
    properties: { p: { type: 'number', minimum: 0, maximum: 1, default: 0.5 } },
    additionalProperties: false,
  },
  create: (options) => new RandomFlip(options),
});
