import { definePlugin, type ComponentDefinition } from '@contrastive/framework';
import { amdimMethodDefinition } from './method/amdim-definition';

// The package.json is outside rootDir; reading it keeps one version number.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require('../package.json') as { name: string; version: string };

/**
 * Every component the plugin registers: method `amdim`. Its pairs over locations, soft clip,
 * score penalty and estimators are the framework's (API 1.2.0).
 */
export const amdimComponents: readonly ComponentDefinition[] = [amdimMethodDefinition] as ComponentDefinition[];

/**
 * The plugin manifest of `@contrastive/plugin-amdim`: list the package under `plugins:` in a
 * config and `method: { use: amdim }` trains AMDIM (arXiv:1906.00910).
 */
export const amdimPlugin = definePlugin({
  name: pkg.name,
  version: pkg.version,
  frameworkApi: '^1.2.0',
  description: 'Augmented Multiscale Deep InfoMax: two views compared across feature scales with NCE.',
  register(registry) {
    for (const component of amdimComponents) registry.register(component);
  },
});
