import * as tf from '@tensorflow/tfjs';
import type { Augmentation, Images, Rng } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { clip01, drawMask, perExample } from './per-example';

/** Options of the `gaussian-noise` augmentation. */
export interface GaussianNoiseOptions {
  /** Standard deviation of the additive noise, in pixel units ([0, 1] scale). */
  std: number;
  /** Probability of adding noise to each example. */
  p: number;
}

/**
 * Additive Gaussian pixel noise N(0, std^2), applied to each example with probability `p`,
 * then clipped to [0, 1]. Draws one uniform per example, then one seed for tf.randomNormal.
 */
export class GaussianNoise implements Augmentation {
  constructor(readonly options: GaussianNoiseOptions) {}

  apply(x: Images, rng: Rng): Images {
    const mask = drawMask(rng, x.shape[0], this.options.p);
    const seed = rng.seed();
    return tf.tidy(() => {
      const noise = tf.randomNormal(x.shape, 0, this.options.std, 'float32', seed);
      return clip01(tf.add(x, tf.mul(noise, perExample(mask.map(Number)))));
    });
  }
}

/** `augment: [{ use: gaussian-noise, std: 0.05 }]` */
export const gaussianNoiseAugment = defineComponent<'augment', GaussianNoiseOptions>({
  kind: 'augment',
  name: 'gaussian-noise',
  description: 'Additive Gaussian pixel noise with standard deviation std, probability p, clipped to [0, 1].',
  schema: {
    type: 'object',
    properties: {
      std: { type: 'number', minimum: 0, maximum: 1, default: 0.05 },
      p: { type: 'number', minimum: 0, maximum: 1, default: 1 },
    },
    additionalProperties: false,
  },
  create: (options) => new GaussianNoise(options),
});
