/**
 * @contrastive/plugin-cmc — Contrastive Multiview Coding (Tian, Krishnan & Isola 2019,
 * arXiv:1906.05849) for @contrastive/framework. The default export is the plugin manifest;
 * the named exports are its building blocks, for use in code.
 */
import { cmcPlugin } from './manifest';

export default cmcPlugin;
export { cmcPlugin, cmcComponents } from './manifest';
export * from './method/cmc-method';
export * from './method/cmc-definition';
export * from './method/cmc-loss';
export * from './method/view-pairs';
