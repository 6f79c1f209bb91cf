import { definePlugin, type ComponentDefinition } from '@contrastive/framework';
import { cmcMethodDefinition } from './method/cmc-definition';

// The package.json is outside rootDir; reading it keeps one version number.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require('../package.json') as { name: string; version: string };

/**
 * Every component the plugin registers: method `cmc`. The views (`lab-l`, `lab-ab`,
 * `channels`, `gradient-magnitude`, `region`, `image`) and the `memory-bank` negatives are
 * the framework's (API 1.4), so other methods can use them too.
 */
export const cmcComponents: readonly ComponentDefinition[] = [cmcMethodDefinition] as ComponentDefinition[];

/**
 * The plugin manifest of `@contrastive/plugin-cmc`: list the package under `plugins:` in a
 * config and `method: { use: cmc }` trains Contrastive Multiview Coding (arXiv:1906.05849).
 */
export const cmcPlugin = definePlugin({
  name: pkg.name,
  version: pkg.version,
  frameworkApi: '^1.4.0',
  description: 'Contrastive Multiview Coding (CMC): one encoder per view, core or full-graph pairs, in-batch or memory-bank negatives.',
  register(registry) {
    for (const component of cmcComponents) registry.register(component);
  },
});
