import * as tf from '@tensorflow/tfjs';
import type { Augmentation, HostImages, Images, Rng } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { UserInputError } from '../registry/errors';
import { cropResizeBilinearInto } from './host-pixels';
import { clip01 } from './per-example';

/** Options of the `random-resized-crop` augmentation. */
export interface RandomResizedCropOptions {
  /** [min, max] fraction of the image area the crop covers. */
  scale: [number, number];
  /** [min, max] aspect ratio (width / height) of the crop, sampled log-uniformly. */
  ratio: [number, number];
}

/** A crop in pixels: top-left corner and size. */
export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

/**
 * Samples a crop like torchvision's RandomResizedCrop: up to 10 tries of area ~ U(scale) *
 * H * W and log aspect ~ U(log ratio) that fit the image at a uniform position; otherwise a
 * centred crop with the ratio clamped to the allowed range.
 */
export function sampleCrop(height: number, width: number, o: RandomResizedCropOptions, rng: Rng): CropBox {
  const area = height * width;
  const [logLo, logHi] = [Math.log(o.ratio[0]), Math.log(o.ratio[1])];
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * rng.uniform(o.scale[0], o.scale[1]);
    const aspect = Math.exp(rng.uniform(logLo, logHi));
    const w = Math.round(Math.sqrt(target * aspect));
    const h = Math.round(Math.sqrt(target / aspect));
    if (w > 0 && h > 0 && w <= width && h <= height) {
      return { top: rng.int(height - h + 1), left: rng.int(width - w + 1), height: h, width: w };
    }
  }
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < o.ratio[0]) h = Math.round(w / o.ratio[0]);
  else if (inRatio > o.ratio[1]) w = Math.round(h * o.ratio[1]);
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
}

/**
 * Random resized crop, the first and most important augmentation of SimCLR
 * (arXiv:2002.05709, "random cropping and resize back to the original size"): each example
 * gets its own crop (sampleCrop), resized back to the input size with bilinear
 * interpolation by tf.image.cropAndResize.
 */
export class RandomResizedCrop implements Augmentation {
  constructor(readonly options: RandomResizedCropOptions) {
    const { scale, ratio } = options;
    if (!(scale[0] > 0 && scale[0] <= scale[1] && scale[1] <= 1)) {
      throw new UserInputError(`random-resized-crop: scale must be [min, max] with 0 < min <= max <= 1, got [${scale}]`);
    }
    if (!(ratio[0] > 0 && ratio[0] <= ratio[1])) {
      throw new UserInputError(`random-resized-crop: ratio must be [min, max] with 0 < min <= max, got [${ratio}]`);
    }
  }

  apply(x: Images, rng: Rng): Images {
    const [batch, height, width] = x.shape;
    const boxes = this.sampleBoxes(batch, height, width, rng);
    return tf.tidy(() => {
      const boxInd = tf.range(0, batch, 1, 'int32') as tf.Tensor1D;
      return clip01(tf.image.cropAndResize(x, tf.tensor2d(boxes, [batch, 4]), boxInd, [height, width], 'bilinear'));
    });
  }

  applyToPixels(x: HostImages, rng: Rng): HostImages {
    const [batch, height, width] = x.shape;
    const boxes = this.sampleBoxes(batch, height, width, rng);
    const out = new Float32Array(x.data.length);
    // Clamped to [0, 1] as the tensor path's clip01 does (for inputs in [0, 1], bilinear
    // weights are a convex combination: only float rounding can leave the range).
    for (let b = 0; b < batch; b++) cropResizeBilinearInto(x, out, b, boxes.subarray(4 * b, 4 * b + 4), true);
    return { data: out, shape: x.shape };
  }

  /** One crop per example as cropAndResize boxes [y1, x1, y2, x2] (normalised, float32). */
  private sampleBoxes(batch: number, height: number, width: number, rng: Rng): Float32Array {
    const boxes = new Float32Array(batch * 4);
    const dy = Math.max(1, height - 1);
    const dx = Math.max(1, width - 1);
    for (let b = 0; b < batch; b++) {
      const c = sampleCrop(height, width, this.options, rng);
      // cropAndResize maps normalised y to y * (height - 1): first and last crop pixels.
      boxes.set([c.top / dy, c.left / dx, (c.top + c.height - 1) / dy, (c.left + c.width - 1) / dx], 4 * b);
    }
    return boxes;
  }
}

const pair = (def: [number, number], item: Record<string, unknown>) => ({
  type: 'array', items: { type: 'number', ...item }, minItems: 2, maxItems: 2, default: def,
});

/** `augment: [{ use: random-resized-crop, scale: [0.2, 1] }]` */
export const randomResizedCropAugment = defineComponent<'augment', RandomResizedCropOptions>({
  kind: 'augment',
  name: 'random-resized-crop',
  description: 'Random crop of a random area fraction and aspect ratio, resized back to the input size (SimCLR, arXiv:2002.05709).',
  schema: {
    type: 'object',
    properties: {
      scale: pair([0.2, 1.0], { exclusiveMinimum: 0, maximum: 1 }),
      ratio: pair([0.75, 4 / 3], { exclusiveMinimum: 0 }),
    },
    additionalProperties: false,
  },
  create: (options) => new RandomResizedCrop(options),
});
