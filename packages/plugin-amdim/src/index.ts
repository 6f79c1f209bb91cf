/**
 * @contrastive/plugin-amdim — Augmented Multiscale Deep InfoMax (Bachman et al. 2019,
 * arXiv:1906.00910) for @contrastive/framework. The default export is the plugin manifest;
 * the named exports are its building blocks, for use in code.
 */
import { amdimPlugin } from './manifest';

export default amdimPlugin;
export { amdimPlugin, amdimComponents } from './manifest';
export * from './method/amdim-method';
export * from './method/amdim-definition';
export * from './method/multiscale-embeddings';
export * from './method/multiscale-loss';
