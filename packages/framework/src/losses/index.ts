/** Contrastive losses over a logit matrix [N, M] with one positive column per row. */
export * from './loss-inputs';
export * from './infonce-loss';
export * from './nce-loss';
export * from './positive-accuracy';
export * from './infonce-bound';
export * from './builtins';
