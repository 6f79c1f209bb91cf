import * as tf from '@tensorflow/tfjs';
import type { Augmentation, Images, PositiveSampler, Rng, ViewPair } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { composeAugmentations } from '../augment';

/**
 * Positives as two independent augmentations of the same example (SimCLR,
 * arXiv:2002.05709; the "instance discrimination" pretext task). The augmentation
 * pipeline is the run's `augment` slot.
 *
 * Shapes: x [B, H, W, C] -> anchor [B, H, W, C], positive [B, H, W, C], aligned by index.
 */
export class TwoViewsSampler implements PositiveSampler {
  constructor(private readonly augmentation: Augmentation) {}

  sample(x: Images, rng: Rng): ViewPair {
    return {
      anchor: this.augmentation.apply(x, rng),
      positive: this.augmentation.apply(x, rng),
    };
  }
}

/** An augmentation that returns its input unchanged (used when `augment: []`). */
const identity: Augmentation = { apply: (x) => tf.clone(x) };

export const twoViewsSamplerDefinition = defineComponent({
  kind: 'positives',
  name: 'two-views',
  description: 'Two independent augmentations of each example (uses the `augment` slot).',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  create: (_options: Record<string, never>, ctx) => {
    const augs = ctx.slots.augment.map((spec) => ctx.build('augment', spec));
    return new TwoViewsSampler(augs.length > 0 ? composeAugmentations(augs) : identity);
  },
});
