import * as tf from '@tensorflow/tfjs';
import type { Encoder } from '../contracts';

/** Spatial size and channels of one of the encoder's feature maps, for one image shape. */
export interface FeatureMapSize {
  name: string;
  height: number;
  width: number;
  channels: number;
}

/**
 * The sizes of every feature map the encoder offers, from one forward pass of a single black
 * image in evaluation mode (nothing is updated). Methods that choose maps by name (DIM's
 * local layer, AMDIM's scales) check them against these at build time, before training.
 * @param inputShape [H, W, C] of the training images
 */
export function featureMapSizes(encoder: Encoder, inputShape: readonly [number, number, number]): FeatureMapSize[] {
  if (encoder.featureNames.length === 0) return [];
  const out = tf.tidy(() => {
    const { features } = encoder.encode(tf.zeros([1, ...inputShape]) as tf.Tensor4D, { training: false, features: encoder.featureNames });
    return encoder.featureNames.map((name) => features[name].shape);
  });
  return out.map(([, height, width, channels], i) => ({ name: encoder.featureNames[i], height, width, channels }));
}

/** `conv1 (7x7x64)`: a map's name and size, for messages that list the valid choices. */
export function describeFeatureMap(size: FeatureMapSize): string {
  return `${size.name} (${size.height}x${size.width}x${size.channels})`;
}

