/**
 * @contrastive/plugin-dim — Deep InfoMax (Hjelm et al. 2018, arXiv:1808.06670) for
 * @contrastive/framework. The default export is the plugin manifest; the named exports are
 * its building blocks, for use in code.
 */
import { dimPlugin } from './manifest';

export default dimPlugin;
export { dimPlugin, dimComponents } from './manifest';
export * from './method/dim-method';
export * from './method/dim-definition';
export * from './method/feature-layer';
export * from './critic/dim-critic';
export * from './prior/prior-discriminator';
export * from './prior/gradient-reversal';
