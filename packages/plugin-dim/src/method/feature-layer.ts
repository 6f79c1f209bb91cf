import * as tf from '@tensorflow/tfjs';
import { UserInputError, type Encoder } from '@contrastive/framework';

/** Spatial size and channels of one of the encoder's feature maps, for one image shape. */
export interface FeatureMapSize {
  name: string;
  height: number;
  width: number;
  channels: number;
}

/** A map needs this many rows and columns for DIM(L): with one location it is DIM(G). */
export const MIN_MAP_SIDE = 2;

/**
 * The sizes of every feature map the encoder offers, from one forward pass of a single black
 * image in evaluation mode (nothing is updated).
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

const describe = (s: FeatureMapSize) => `${s.name} (${s.height}x${s.width}x${s.channels})`;

/**
 * The feature map DIM(L) uses: `layer` if given, else the deepest map of at least 4x4
 * (DIM's local maps are 8x8 on 32x32 images; 28x28 images give 7x7 or 4x4 on the built-in
 * encoders), else the deepest of at least 2x2.
 *
 * @param where JSON path of the option, for messages (`method.layer`)
 * @throws UserInputError when the encoder has no such map (listing the valid ones) or when
 *   the map has fewer than 2x2 locations for these images
 */
export function chooseFeatureLayer(sizes: FeatureMapSize[], layer: string | undefined, inputShape: readonly number[], where = 'method.layer'): FeatureMapSize {
  const usable = sizes.filter((s) => s.height >= MIN_MAP_SIDE && s.width >= MIN_MAP_SIDE);
  const choices = usable.length ? usable.map(describe).join(', ') : '(none)';
  const images = `${inputShape[0]}x${inputShape[1]} images`;
  if (layer === undefined) {
    const pick = [...usable].reverse().find((s) => s.height >= 4 && s.width >= 4) ?? usable[usable.length - 1];
    if (!pick) throw new UserInputError(`${where}: the encoder has no feature map of at least ${MIN_MAP_SIDE}x${MIN_MAP_SIDE} for ${images}; DIM(L) needs local features (the encoder's maps: ${sizes.map(describe).join(', ') || 'none'})`);
    return pick;
  }
  const found = sizes.find((s) => s.name === layer);
  if (!found) throw new UserInputError(`${where}: the encoder has no feature map "${layer}"; valid choices: ${choices}`);
  if (!usable.includes(found)) {
    throw new UserInputError(`${where}: feature map "${layer}" is ${found.height}x${found.width} for ${images}, too small for DIM(L) (at least ${MIN_MAP_SIDE}x${MIN_MAP_SIDE} locations); valid choices: ${choices}`);
  }
  return found;
}
