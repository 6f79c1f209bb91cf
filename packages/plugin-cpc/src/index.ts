/**
 * @contrastive/plugin-cpc — Contrastive Predictive Coding (van den Oord et al. 2018,
 * arXiv:1807.03748; image patches after Henaff et al. 2019, arXiv:1905.09272) for
 * @contrastive/framework. The default export is the plugin manifest; the named exports are
 * its building blocks, for use in code.
 */
import { cpcPlugin } from './manifest';

export default cpcPlugin;
export { cpcPlugin, cpcComponents } from './manifest';
export * from './method/cpc-method';
export * from './method/cpc-definition';
export * from './context/gru-context';
export * from './context/masked-conv-context';
export * from './encoding/patch-grid';
export * from './objective/cpc-logits';
export * from './objective/cpc-objective';
