export { IdentityHead, identityHeadDefinition } from './identity-head';
export { MlpHead, mlpHeadDefinition, MLP_HEAD_DEFAULTS, type MlpHeadOptions } from './mlp-head';
export { HeadedEncoder } from './headed-encoder';
export { buildHead, isNoHead } from './build-head';
export { builtinHeads } from './builtins';
