import * as tf from '@tensorflow/tfjs';
import type { Images, ViewShape, ViewTransform } from '../contracts';
import { defineComponent } from '../registry/component-definition';

/** Sobel kernels [3, 3, 1, 1]: horizontal derivative (x) and its transpose (y). */
const SOBEL_X = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]];
const SOBEL_Y = [[-1, -2, -1], [0, 0, 0], [1, 2, 1]];
/** The largest Sobel magnitude of an image in [0, 1] is 4√2 (a step edge on both axes). */
const MAX_MAGNITUDE = 4 * Math.SQRT2;

/**
 * The gradient magnitude of the (channel-averaged) image, a view that carries edges but not
 * intensity: on grey images (Fashion-MNIST) it pairs with the image itself so that CMC has two
 * views with different information. Sobel derivatives with zero padding ('same'),
 * magnitude sqrt(gx² + gy²) / (4√2) in [0, 1].
 * Shapes: [B, H, W, C] -> [B, H, W, 1].
 */
export class GradientMagnitudeView implements ViewTransform {
  outputShape(input: ViewShape): ViewShape {
    return [input[0], input[1], 1];
  }

  apply(x: Images): Images {
    return tf.tidy(() => {
      const grey = x.shape[3] === 1 ? x : (tf.mean(x, 3, true) as Images);
      const kernel = tf.tensor4d([...SOBEL_X.flat(), ...SOBEL_Y.flat()], [2, 3, 3, 1]).transpose([1, 2, 3, 0]) as tf.Tensor4D;
      const g = tf.conv2d(grey, kernel, 1, 'same');
      const magnitude = tf.sqrt(tf.add(tf.sum(tf.square(g), 3, true), 1e-12));
      return tf.div(magnitude, MAX_MAGNITUDE) as Images;
    });
  }
}

/** `view: { use: gradient-magnitude }` */
export const gradientMagnitudeView = defineComponent<'view', Record<string, never>>({
  kind: 'view', name: 'gradient-magnitude',
  description: 'Sobel gradient magnitude of the channel-averaged image, one channel in [0, 1] (edges without intensity).',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => new GradientMagnitudeView(),
});
