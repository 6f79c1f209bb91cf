import type { ComponentDefinition } from '../registry/component-definition';
import { colorJitterAugment } from './color-jitter';
import { cutoutAugment } from './cutout';
import { flipAugment } from './flip';
import { gaussianNoiseAugment } from './gaussian-noise';
import { randomResizedCropAugment } from './random-resized-crop';
import { translateAugment } from './translate';

/** The augmentations the framework registers (kind `augment`). */
export const builtinAugmentations: ComponentDefinition[] = [
  randomResizedCropAugment, flipAugment, translateAugment, gaussianNoiseAugment, colorJitterAugment, cutoutAugment,
];
