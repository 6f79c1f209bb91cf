import * as tf from '@tensorflow/tfjs';
import {
  defineComponent, drawMask, selectPerExample, type Augmentation, type Images, type Rng,
} from '@contrastive/framework';

/** Options of the `random-grayscale` augmentation. */
export interface RandomGrayscaleOptions {
  /** Probability of converting each example (MoCo v1 and v2: 0.2). */
  p: number;
}

/** ITU-R 601 luma weights, as torchvision's rgb_to_grayscale. */
const LUMA = [0.299, 0.587, 0.114];

/**
 * Random grayscale conversion, part of the augmentations of MoCo (arXiv:1911.05722, §A.3)
 * and MoCo v2 (arXiv:2003.04297): with probability `p` an RGB example is replaced by its
 * luma (0.299 R + 0.587 G + 0.114 B) in all three channels. Images with one channel are
 * already grey and are returned unchanged. Draws one uniform per example.
 *
 * Shapes: [B, H, W, C] -> [B, H, W, C] (C = 1 or 3).
 */
export class RandomGrayscale implements Augmentation {
  constructor(readonly options: RandomGrayscaleOptions) {}

  apply(x: Images, rng: Rng): Images {
    const mask = drawMask(rng, x.shape[0], this.options.p);
    const channels = x.shape[3];
    if (channels === 1 || !mask.some(Boolean)) return tf.clone(x);
    if (channels !== 3) throw new Error(`random-grayscale: expected 1 or 3 channels, got ${channels}`);
    return tf.tidy(() => {
      const luma = tf.sum(tf.mul(x, tf.tensor1d(LUMA)), 3, true);
      return selectPerExample(mask, tf.tile(luma, [1, 1, 1, 3]) as Images, x);
    });
  }
}

/** `augment: [{ use: random-grayscale, p: 0.2 }]` */
export const randomGrayscaleAugment = defineComponent<'augment', RandomGrayscaleOptions>({
  kind: 'augment',
  name: 'random-grayscale',
  description: 'Convert RGB examples to grey with probability p (MoCo, arXiv:1911.05722); grey images pass unchanged.',
  schema: {
    type: 'object',
    properties: { p: { type: 'number', minimum: 0, maximum: 1, default: 0.2 } },
    additionalProperties: false,
  },
  create: (options) => new RandomGrayscale(options),
});
