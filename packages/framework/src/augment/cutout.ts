import * as tf from '@tensorflow/tfjs';
import type { Augmentation, Images, Rng } from '../contracts';
import { defineComponent } from '../registry/component-definition';

/** Options of the `cutout` augmentation. */
export interface CutoutOptions {
  /** Side of the zeroed square, in pixels. */
  size: number;
  /** Probability of cutting out a square in each example. */
  p: number;
}

/**
 * Cutout (DeVries & Taylor 2017, arXiv:1708.04552): with probability `p`, zeroes a
 * size x size square (all channels) centred at a uniformly random pixel; the square is
 * clipped at the image border, so it is size*size pixels only when fully inside. Draws
 * three numbers per example (apply?, centre row, centre column), whatever p is.
 */
export class Cutout implements Augmentation {
  constructor(readonly options: CutoutOptions) {}

  apply(x: Images, rng: Rng): Images {
    const [batch, height, width] = x.shape;
    const { size, p } = this.options;
    const keep = new Float32Array(batch * height * width).fill(1);
    for (let b = 0; b < batch; b++) {
      const apply = rng.next() < p;
      const top = rng.int(height) - Math.floor(size / 2);
      const left = rng.int(width) - Math.floor(size / 2);
      if (!apply) continue;
      for (let y = Math.max(0, top); y < Math.min(height, top + size); y++) {
        const row = (b * height + y) * width;
        keep.fill(0, row + Math.max(0, left), row + Math.min(width, left + size));
      }
    }
    return tf.tidy(() => tf.mul(x, tf.tensor4d(keep, [batch, height, width, 1])) as Images);
  }
}

/** `augment: [{ use: cutout, size: 8, p: 0.5 }]` */
export const cutoutAugment = defineComponent<'augment', CutoutOptions>({
  kind: 'augment',
  name: 'cutout',
  description: 'Zeroes a size x size square at a random position with probability p (Cutout, arXiv:1708.04552).',
  schema: {
    type: 'object',
    properties: {
      size: { type: 'integer', minimum: 1, maximum: 1024, default: 8 },
      p: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
    },
    additionalProperties: false,
  },
  create: (options) => new Cutout(options),
});
