/**
 * @contrastive/plugin-moco — Momentum Contrast (He et al. 2019, arXiv:1911.05722; v2:
 * arXiv:2003.04297) for @contrastive/framework. The default export is the plugin manifest;
 * the named exports are its building blocks, for use in code.
 */
import { mocoPlugin } from './manifest';

export default mocoPlugin;
export { mocoPlugin, mocoComponents } from './manifest';
export * from './method/moco-method';
export * from './method/moco-definition';
export * from './method/moco-logits';
export * from './method/batch-norm-groups';
export * from './momentum/momentum-encoder';
export * from './momentum/momentum-encoder-definition';
export * from './momentum/momentum-schedule';
export * from './momentum/detached-forward';
export * from './queue/queue-negatives';
export * from './queue/queue-definition';
export * from './augment/gaussian-blur';
export * from './augment/random-grayscale';
