import * as tf from '@tensorflow/tfjs';
import type { Augmentation, HostImages, Images, Rng } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { clip01, drawMask, perExample, selectPerExample } from './per-example';

/** Options of the `color-jitter` augmentation. */
export interface ColorJitterOptions {
  /** Brightness shift: an offset drawn from U[-brightness, brightness] is added. */
  brightness: number;
  /** Contrast change: a factor drawn from U[max(0, 1 - contrast), 1 + contrast]. */
  contrast: number;
  /** Probability of jittering each example. */
  p: number;
}

/**
 * Colour distortion after SimCLR (arXiv:2002.05709), brightness and contrast part (works for
 * grey and RGB images): with probability `p` an example gets a random brightness offset
 * added, is clipped, then scaled around its per-channel mean by a random contrast factor
 * and clipped again (the order of tf.image.adjust_brightness / adjust_contrast). Draws three
 * uniforms per example (apply?, offset, factor), whatever p is.
 */
export class ColorJitter implements Augmentation {
  constructor(readonly options: ColorJitterOptions) {}

  apply(x: Images, rng: Rng): Images {
    const { mask, offsets, factors } = this.draw(x.shape[0], rng);
    return tf.tidy(() => {
      const bright = clip01(tf.add(x, perExample(offsets)));
      const mean = tf.mean(bright, [1, 2], true);
      const jittered = clip01(tf.add(tf.mul(tf.sub(bright, mean), perExample(factors)), mean));
      return selectPerExample(mask, jittered as Images, x);
    });
  }

  applyToPixels(x: HostImages, rng: Rng): HostImages {
    const [batch, height, width, channels] = x.shape;
    const { mask, offsets, factors } = this.draw(batch, rng);
    const pixels = height * width;
    const d = x.data;
    for (let b = 0; b < batch; b++) {
      if (!mask[b]) continue;
      const end = (b + 1) * pixels * channels;
      // One channel at a time (stride `channels`): its mean is over that channel only.
      const offset = offsets[b];
      for (let i0 = b * pixels * channels, c = 0; c < channels; c++) {
        let sum = 0;
        for (let i = i0 + c; i < end; i += channels) {
          const v = d[i] + offset;
          d[i] = v < 0 ? 0 : v > 1 ? 1 : v; // stored as float32, as the tensor path computes it
          sum += d[i];
        }
        const m = Math.fround(sum / pixels);
        const factor = factors[b];
        for (let i = i0 + c; i < end; i += channels) {
          const v = (d[i] - m) * factor + m;
          d[i] = v < 0 ? 0 : v > 1 ? 1 : v;
        }
      }
    }
    return x;
  }

  /** Three uniforms per example, in this order: apply?, brightness offset, contrast factor. */
  private draw(batch: number, rng: Rng): { mask: boolean[]; offsets: number[]; factors: number[] } {
    const { brightness, contrast, p } = this.options;
    const mask: boolean[] = [];
    const offsets: number[] = [];
    const factors: number[] = [];
    for (let b = 0; b < batch; b++) {
      mask.push(rng.next() < p);
      offsets.push(rng.uniform(-brightness, brightness));
      factors.push(rng.uniform(Math.max(0, 1 - contrast), 1 + contrast));
    }
    return { mask, offsets, factors };
  }
}

/** `augment: [{ use: color-jitter, brightness: 0.4, contrast: 0.4, p: 0.8 }]` */
export const colorJitterAugment = defineComponent<'augment', ColorJitterOptions>({
  kind: 'augment',
  name: 'color-jitter',
  description: 'Random brightness offset and contrast scaling around the image mean with probability p (SimCLR, arXiv:2002.05709).',
  schema: {
    type: 'object',
    properties: {
      brightness: { type: 'number', minimum: 0, maximum: 1, default: 0.4 },
      contrast: { type: 'number', minimum: 0, maximum: 1, default: 0.4 },
      p: { type: 'number', minimum: 0, maximum: 1, default: 0.8 },
    },
    additionalProperties: false,
  },
  create: (options) => new ColorJitter(options),
});
