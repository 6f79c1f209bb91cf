import * as tf from '@tensorflow/tfjs';
import type { Images, ViewShape, ViewTransform } from '../contracts';
import { defineComponent } from '../registry/component-definition';

/** Options of the `region` view: the box as fractions of the image, [top, left, bottom, right]. */
export interface RegionViewOptions {
  box: [number, number, number, number];
}

/**
 * A fixed region of the image, e.g. its top and bottom halves as two views that share no
 * pixels (complementary crops: what one view shows the other must predict, as in CMC's
 * patch-based views, arXiv:1906.05849 §3). Row range [round(top·H), round(bottom·H)), the
 * same for columns. Shapes: [B, H, W, C] -> [B, h, w, C].
 */
export class RegionView implements ViewTransform {
  constructor(readonly box: readonly [number, number, number, number]) {}

  private bounds(input: ViewShape): [number, number, number, number] {
    const [top, left, bottom, right] = this.box;
    return [Math.round(top * input[0]), Math.round(left * input[1]), Math.round(bottom * input[0]), Math.round(right * input[1])];
  }

  outputShape(input: ViewShape): ViewShape {
    const [y0, x0, y1, x1] = this.bounds(input);
    if (y1 <= y0 || x1 <= x0) {
      throw new Error(`region [${this.box.join(', ')}] of a ${input[0]}x${input[1]} image is empty (rows ${y0}-${y1}, columns ${x0}-${x1})`);
    }
    return [y1 - y0, x1 - x0, input[2]];
  }

  apply(x: Images): Images {
    const [y0, x0, y1, x1] = this.bounds([x.shape[1], x.shape[2], x.shape[3]]);
    return tf.slice(x, [0, y0, x0, 0], [-1, y1 - y0, x1 - x0, -1]);
  }
}

/** `view: { use: region, box: [0, 0, 0.5, 1] }` (the top half) */
export const regionView = defineComponent<'view', RegionViewOptions>({
  kind: 'view', name: 'region',
  description: 'A fixed box of the image (e.g. top vs bottom half: complementary crops).',
  schema: {
    type: 'object', required: ['box'], additionalProperties: false,
    properties: {
      box: {
        type: 'array', minItems: 4, maxItems: 4, items: { type: 'number', minimum: 0, maximum: 1 },
        description: '[top, left, bottom, right] as fractions of the height and width.',
      },
    },
  },
  create: (o) => new RegionView(o.box),
});
