import * as tf from '@tensorflow/tfjs';
import {
  defineComponent, drawMask, perExample, selectPerExample, UserInputError, type Augmentation, type Images, type Rng,
} from '@contrastive/framework';

/** Options of the `gaussian-blur` augmentation. */
export interface GaussianBlurOptions {
  /** Probability of blurring each example (MoCo v2: 0.5). */
  p: number;
  /** [min, max] of the standard deviation in pixels, drawn uniformly per example (MoCo v2: [0.1, 2.0]). */
  sigma: [number, number];
  /**
   * Side of the (odd) kernel in pixels. Default: 10% of the image's shorter side, made odd,
   * at least 3 (SimCLR's rule; 23 for 224-pixel images, 3 for 28-pixel ones).
   */
  kernelSize?: number;
}

/** The kernel side used for an image of `height` x `width` when `kernelSize` is not set. */
export function defaultBlurKernelSize(height: number, width: number): number {
  const k = Math.round(0.1 * Math.min(height, width));
  return Math.max(3, k % 2 === 0 ? k + 1 : k);
}

/** Normalised 1-D Gaussian weights for offsets -r..r. */
export function gaussianWeights(sigma: number, radius: number): number[] {
  const w = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / sum);
}

/**
 * Pads `x` [B, H, W, C] by `r` on both sides of `axis` (1 or 2) with reflection, like
 * torchvision's `reflect` padding: [a b c d] -> [c b | a b c d | c b] for r = 2.
 */
function reflectPad(x: tf.Tensor4D, axis: 1 | 2, r: number): tf.Tensor4D {
  const n = x.shape[axis];
  const take = (start: number, size: number) => {
    const begin = [0, 0, 0, 0];
    const sizes = [-1, -1, -1, -1];
    begin[axis] = start;
    sizes[axis] = size;
    return tf.slice(x, begin, sizes);
  };
  return tf.concat([tf.reverse(take(1, r), axis), x, tf.reverse(take(n - 1 - r, r), axis)], axis);
}

/**
 * Random Gaussian blur, the augmentation MoCo v2 added to MoCo v1's (Chen et al. 2020,
 * arXiv:2003.04297, after SimCLR arXiv:2002.05709): with probability `p` an example is
 * convolved with a Gaussian of standard deviation sigma ~ U(sigma[0], sigma[1]) pixels,
 * separably (rows, then columns) with reflect padding. Draws two uniforms per example
 * (apply?, sigma), whatever p is.
 *
 * Shapes: [B, H, W, C] -> [B, H, W, C]; the kernel radius must be smaller than H and W.
 */
export class GaussianBlur implements Augmentation {
  constructor(readonly options: GaussianBlurOptions) {}

  apply(x: Images, rng: Rng): Images {
    const [batch, height, width] = x.shape;
    const mask = drawMask(rng, batch, this.options.p);
    const [lo, hi] = this.options.sigma;
    const sigmas = Array.from({ length: batch }, () => rng.uniform(lo, hi));
    const k = this.options.kernelSize ?? defaultBlurKernelSize(height, width);
    const r = (k - 1) / 2;
    if (r < 1 || !mask.some(Boolean)) return tf.clone(x);
    if (r >= height || r >= width) {
      throw new Error(`gaussian-blur: kernelSize ${k} is too large for ${height}x${width} images`);
    }
    const weights = sigmas.map((s) => gaussianWeights(s, r));
    return tf.tidy(() => {
      const blurAlong = (img: tf.Tensor4D, axis: 1 | 2): tf.Tensor4D => {
        const padded = reflectPad(img, axis, r);
        let out: tf.Tensor4D | null = null;
        for (let d = 0; d < k; d++) {
          const begin = [0, 0, 0, 0];
          const size = [-1, -1, -1, -1];
          begin[axis] = d;
          size[axis] = img.shape[axis];
          const term = tf.mul(tf.slice(padded, begin, size), perExample(weights.map((w) => w[d]))) as tf.Tensor4D;
          out = out ? (tf.add(out, term) as tf.Tensor4D) : term;
        }
        return out!;
      };
      return selectPerExample(mask, blurAlong(blurAlong(x, 2), 1), x);
    });
  }
}

/** `augment: [{ use: gaussian-blur, p: 0.5, sigma: [0.1, 2.0] }]` */
export const gaussianBlurAugment = defineComponent<'augment', GaussianBlurOptions>({
  kind: 'augment',
  name: 'gaussian-blur',
  description: 'Random Gaussian blur with probability p, sigma ~ U(sigma) pixels (MoCo v2, arXiv:2003.04297).',
  schema: {
    type: 'object',
    properties: {
      p: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
      sigma: {
        type: 'array', items: { type: 'number', exclusiveMinimum: 0, maximum: 100 }, minItems: 2, maxItems: 2,
        default: [0.1, 2.0], description: '[min, max] standard deviation in pixels.',
      },
      kernelSize: {
        type: 'integer', minimum: 3, maximum: 101,
        description: 'Odd kernel side in pixels (default: 10% of the shorter image side, at least 3).',
      },
    },
    additionalProperties: false,
  },
  create: (options) => {
    if (options.sigma[0] > options.sigma[1]) {
      throw new UserInputError(`gaussian-blur: sigma must be [min, max] with min <= max (got [${options.sigma.join(', ')}])`);
    }
    if (options.kernelSize !== undefined && options.kernelSize % 2 === 0) {
      throw new UserInputError(`gaussian-blur: kernelSize must be odd (got ${options.kernelSize})`);
    }
    return new GaussianBlur(options);
  },
});
