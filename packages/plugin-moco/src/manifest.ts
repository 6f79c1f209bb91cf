import { definePlugin, type ComponentDefinition } from '@contrastive/framework';
import { gaussianBlurAugment } from './augment/gaussian-blur';
import { randomGrayscaleAugment } from './augment/random-grayscale';
import { mocoMethodDefinition } from './method/moco-definition';
import { momentumEncoderDefinition } from './momentum/momentum-encoder-definition';
import { queueNegativesDefinition } from './queue/queue-definition';

// The package.json is outside rootDir; reading it keeps one version number.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require('../package.json') as { name: string; version: string };

/**
 * Every component the plugin registers: method `moco`, negatives `queue`, encoder
 * `momentum-encoder`, augmentations `gaussian-blur` and `random-grayscale`.
 */
export const mocoComponents: readonly ComponentDefinition[] = [
  mocoMethodDefinition,
  queueNegativesDefinition,
  momentumEncoderDefinition,
  gaussianBlurAugment,
  randomGrayscaleAugment,
] as ComponentDefinition[];

/**
 * The plugin manifest of `@contrastive/plugin-moco`: list the package under `plugins:` in a
 * config and `method: { use: moco }` trains Momentum Contrast (arXiv:1911.05722).
 */
export const mocoPlugin = definePlugin({
  name: pkg.name,
  version: pkg.version,
  frameworkApi: '^1.1.0', // the projection head is the framework's `head` component (API 1.1)
  description: 'Momentum Contrast (MoCo v1/v2): momentum key encoder and a FIFO queue of negatives.',
  register(registry) {
    for (const component of mocoComponents) registry.register(component);
  },
});
