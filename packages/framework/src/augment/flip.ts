import * as tf from '@tensorflow/tfjs';
import type { Augmentation, HostImages, Images, Rng } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { drawMask } from './per-example';

/** Options of the `flip` augmentation. */
export interface FlipOptions {
  /** Probability of flipping each example. */
  p: number;
}

/**
 * Random horizontal flip: each example is mirrored left-right (reversed along the width
 * axis) with probability `p`. Part of SimCLR's crop-and-flip pipeline (arXiv:2002.05709).
 * Draws one uniform per example from the rng.
 *
 * One `cropAndResize` over the whole image does it: a box from x = 1 to x = 0 reads the
 * columns right to left, and because the box spans the full image every sample falls
 * exactly on a pixel (interpolation weight 0), so the values are copied, not blended. That
 * is one kernel, where reversing every image and selecting per example took three.
 */
export class RandomFlip implements Augmentation {
  constructor(readonly options: FlipOptions) {}

  apply(x: Images, rng: Rng): Images {
    const [batch, height, width] = x.shape;
    const mask = drawMask(rng, batch, this.options.p);
    const boxes = new Float32Array(batch * 4);
    mask.forEach((flip, b) => boxes.set(flip ? [0, 1, 1, 0] : [0, 0, 1, 1], 4 * b));
    return tf.tidy(() => {
      const boxInd = tf.range(0, batch, 1, 'int32') as tf.Tensor1D;
      return tf.image.cropAndResize(x, tf.tensor2d(boxes, [batch, 4]), boxInd, [height, width], 'bilinear') as Images;
    });
  }

  applyToPixels(x: HostImages, rng: Rng): HostImages {
    const [batch, height, width, channels] = x.shape;
    const mask = drawMask(rng, batch, this.options.p);
    const row = width * channels;
    const d = x.data;
    mask.forEach((flip, b) => {
      if (!flip) return;
      for (let r = (b * height) * row, end = r + height * row; r < end; r += row) {
        for (let lo = 0, hi = width - 1; lo < hi; lo++, hi--) {
          for (let c = 0; c < channels; c++) {
            const t = d[r + lo * channels + c];
            d[r + lo * channels + c] = d[r + hi * channels + c];
            d[r + hi * channels + c] = t;
          }
        }
      }
    });
    return x;
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
