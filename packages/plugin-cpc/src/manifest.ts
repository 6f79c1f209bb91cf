import { definePlugin, type ComponentDefinition } from '@contrastive/framework';
import { cpcMethodDefinition } from './method/cpc-definition';

// The package.json is outside rootDir; reading it keeps one version number.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require('../package.json') as { name: string; version: string };

/** Every component the plugin registers: method `cpc`. */
export const cpcComponents: readonly ComponentDefinition[] = [cpcMethodDefinition] as ComponentDefinition[];

/**
 * The plugin manifest of `@contrastive/plugin-cpc`: list the package under `plugins:` in a
 * config and `method: { use: cpc }` trains Contrastive Predictive Coding (arXiv:1807.03748)
 * on sequences or image patch grids (arXiv:1905.09272). Needs framework API 1.3 (modality).
 */
export const cpcPlugin = definePlugin({
  name: pkg.name,
  version: pkg.version,
  frameworkApi: '^1.3.0',
  description: 'Contrastive Predictive Coding on sequences (GRU context) and image patch grids (masked-conv context).',
  register(registry) {
    for (const component of cpcComponents) registry.register(component);
  },
});
