import { definePlugin, type ComponentDefinition } from '@contrastive/framework';
import { dimCriticDefinition } from './critic/dim-critic';
import { dimMethodDefinition } from './method/dim-definition';

// The package.json is outside rootDir; reading it keeps one version number.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require('../package.json') as { name: string; version: string };

/**
 * Every component the plugin registers: method `dim` and score `dim-critic`. The estimators
 * (`infonce`, `jsd`, `dv`, `nce`) and the location pairs are the framework's (API 1.2.0).
 */
export const dimComponents: readonly ComponentDefinition[] = [dimMethodDefinition, dimCriticDefinition] as ComponentDefinition[];

/**
 * The plugin manifest of `@contrastive/plugin-dim`: list the package under `plugins:` in a
 * config and `method: { use: dim }` trains Deep InfoMax (arXiv:1808.06670).
 */
export const dimPlugin = definePlugin({
  name: pkg.name,
  version: pkg.version,
  frameworkApi: '^1.2.0',
  description: 'Deep InfoMax: local (global vs every location) and global MI objectives with InfoNCE, JSD or DV.',
  register(registry) {
    for (const component of dimComponents) registry.register(component);
  },
});
