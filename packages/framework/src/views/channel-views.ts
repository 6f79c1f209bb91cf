import * as tf from '@tensorflow/tfjs';
import type { Images, ViewShape, ViewTransform } from '../contracts';
import { defineComponent } from '../registry/component-definition';

/**
 * The input channels at `indices`, in that order: any split of a multi-channel input into
 * views (e.g. RGB into R | GB, or the bands of a multispectral image).
 * Shapes: [B, H, W, C] -> [B, H, W, indices.length].
 */
export class ChannelsView implements ViewTransform {
  constructor(readonly indices: readonly number[]) {}

  outputShape(input: ViewShape): ViewShape {
    const outside = this.indices.filter((i) => i >= input[2]);
    if (outside.length > 0) {
      throw new Error(`channels ${outside.join(', ')} do not exist: the input has ${input[2]} channel(s), numbered 0 to ${input[2] - 1}`);
    }
    return [input[0], input[1], this.indices.length];
  }

  apply(x: Images): Images {
    return tf.tidy(() => tf.gather(x, tf.tensor1d(this.indices as number[], 'int32'), 3) as Images);
  }
}

/** The input unchanged: the image itself as a view. Shapes: [B, H, W, C] -> [B, H, W, C]. */
export class ImageView implements ViewTransform {
  outputShape(input: ViewShape): ViewShape {
    return input;
  }

  apply(x: Images): Images {
    return tf.clone(x);
  }
}

/** `view: { use: channels, indices: [1, 2] }` */
export const channelsView = defineComponent<'view', { indices: number[] }>({
  kind: 'view', name: 'channels',
  description: 'A subset of the input channels (any split of the channels into views).',
  schema: {
    type: 'object', required: ['indices'], additionalProperties: false,
    properties: {
      indices: {
        type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', minimum: 0 },
        description: 'Input channels to keep, 0-based, in output order.',
      },
    },
  },
  create: (o) => new ChannelsView(o.indices),
});

/** `view: { use: image }` */
export const imageView = defineComponent<'view', Record<string, never>>({
  kind: 'view', name: 'image',
  description: 'The input image unchanged.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => new ImageView(),
});
