import { describeFeatureMap, UserInputError, type FeatureMapSize } from '@contrastive/framework';

/** A map needs this many rows and columns for DIM(L): with one location it is DIM(G). */
export const MIN_MAP_SIDE = 2;

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
  const choices = usable.length ? usable.map(describeFeatureMap).join(', ') : '(none)';
  const images = `${inputShape[0]}x${inputShape[1]} images`;
  if (layer === undefined) {
    const pick = [...usable].reverse().find((s) => s.height >= 4 && s.width >= 4) ?? usable[usable.length - 1];
    if (!pick) throw new UserInputError(`${where}: the encoder has no feature map of at least ${MIN_MAP_SIDE}x${MIN_MAP_SIDE} for ${images}; DIM(L) needs local features (the encoder's maps: ${sizes.map(describeFeatureMap).join(', ') || 'none'})`);
    return pick;
  }
  const found = sizes.find((s) => s.name === layer);
  if (!found) throw new UserInputError(`${where}: the encoder has no feature map "${layer}"; valid choices: ${choices}`);
  if (!usable.includes(found)) {
    throw new UserInputError(`${where}: feature map "${layer}" is ${found.height}x${found.width} for ${images}, too small for DIM(L) (at least ${MIN_MAP_SIDE}x${MIN_MAP_SIDE} locations); valid choices: ${choices}`);
  }
  return found;
}
