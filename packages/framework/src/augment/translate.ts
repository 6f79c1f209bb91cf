import * as tf from '@tensorflow/tfjs';
import type { Augmentation, Images, Rng } from '../contracts';
import { defineComponent } from '../registry/component-definition';

/** Options of the `translate` augmentation. */
export interface TranslateOptions {
  /** Largest shift in pixels, in each direction, along each axis. */
  maxShift: number;
}

/**
 * Random translation by whole pixels: each example is shifted by (dy, dx), each uniform in
 * [-maxShift, maxShift], with zeros shifted in. Implemented exactly (no interpolation) as a
 * zero pad followed by per-example row and column gathers. Draws two integers per example.
 */
export class RandomTranslate implements Augmentation {
  constructor(readonly options: TranslateOptions) {}

  apply(x: Images, rng: Rng): Images {
    const [batch, height, width] = x.shape;
    const m = this.options.maxShift;
    const rows = new Int32Array(batch * height);
    const cols = new Int32Array(batch * width);
    for (let b = 0; b < batch; b++) {
      const dy = rng.int(2 * m + 1) - m;
      const dx = rng.int(2 * m + 1) - m;
      // Output pixel i takes input pixel i - shift, which sits at i - shift + m once padded.
      for (let i = 0; i < height; i++) rows[b * height + i] = i - dy + m;
      for (let j = 0; j < width; j++) cols[b * width + j] = j - dx + m;
    }
    if (m === 0) return tf.clone(x);
    return tf.tidy(() => {
      const padded = tf.pad(x, [[0, 0], [m, m], [m, m], [0, 0]]);
      const shiftedRows = tf.gather(padded, tf.tensor2d(rows, [batch, height], 'int32'), 1, 1);
      return tf.gather(shiftedRows, tf.tensor2d(cols, [batch, width], 'int32'), 2, 1) as Images;
    });
  }
}

/** `augment: [{ use: translate, maxShift: 4 }]` */
export const translateAugment = defineComponent<'augment', TranslateOptions>({
  kind: 'augment',
  name: 'translate',
  description: 'Random shift by up to maxShift pixels along each axis, zero padding.',
  schema: {
    type: 'object',
    properties: { maxShift: { type: 'integer', minimum: 0, maximum: 256, default: 4 } },
    additionalProperties: false,
  },
  create: (options) => new RandomTranslate(options),
});
