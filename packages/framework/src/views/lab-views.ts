import * as tf from '@tensorflow/tfjs';
import type { Images, ViewShape, ViewTransform } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { rgbToLab } from './rgb-to-lab';

/** How Lab values are scaled: `unit` (L / 100 in [0, 1], a and b / 128 in about [−1, 1]) or `raw`. */
export type LabScale = 'unit' | 'raw';

/** Options of the `lab-l` and `lab-ab` views. */
export interface LabViewOptions {
  scale: LabScale;
}

function needsRgb(name: string, input: ViewShape): void {
  if (input[2] !== 3) {
    throw new Error(`view "${name}" converts sRGB to CIE Lab and needs 3-channel images; the input has ${input[2]} channel(s)`);
  }
}

/**
 * One part of the CIE Lab image: the lightness L ([B, H, W, 1]) or the colour ab
 * ([B, H, W, 2]), the two views of CMC's colour experiments (arXiv:1906.05849, §4.1).
 * See {@link rgbToLab}.
 */
export class LabView implements ViewTransform {
  constructor(readonly part: 'l' | 'ab', readonly scale: LabScale) {}

  outputShape(input: ViewShape): ViewShape {
    needsRgb(`lab-${this.part}`, input);
    return [input[0], input[1], this.part === 'l' ? 1 : 2];
  }

  apply(x: Images): Images {
    return tf.tidy(() => {
      const lab = rgbToLab(x);
      if (this.part === 'l') {
        const l = tf.slice(lab, [0, 0, 0, 0], [-1, -1, -1, 1]);
        return (this.scale === 'unit' ? tf.div(l, 100) : l) as Images;
      }
      const ab = tf.slice(lab, [0, 0, 0, 1], [-1, -1, -1, 2]);
      return (this.scale === 'unit' ? tf.div(ab, 128) : ab) as Images;
    });
  }
}

const schema = {
  type: 'object',
  properties: {
    scale: {
      enum: ['unit', 'raw'], default: 'unit',
      description: 'unit: L / 100 (in [0, 1]) and a, b / 128 (about [-1, 1]), sizes an encoder expects; raw: CIE values (L in [0, 100]).',
    },
  },
  additionalProperties: false,
};

/** `view: { use: lab-l }`: the lightness L of CIE Lab, [B, H, W, 1]. */
export const labLView = defineComponent<'view', LabViewOptions>({
  kind: 'view', name: 'lab-l', schema,
  description: 'Lightness L of CIE Lab (sRGB D65 input), one channel (CMC, arXiv:1906.05849).',
  create: (o) => new LabView('l', o.scale),
});

/** `view: { use: lab-ab }`: the colour a, b of CIE Lab, [B, H, W, 2]. */
export const labAbView = defineComponent<'view', LabViewOptions>({
  kind: 'view', name: 'lab-ab', schema,
  description: 'Colour channels a, b of CIE Lab (sRGB D65 input), two channels (CMC, arXiv:1906.05849).',
  create: (o) => new LabView('ab', o.scale),
});
