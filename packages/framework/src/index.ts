import 'reflect-metadata';

/**
 * @contrastive/framework — public API. Everything a plugin, the CLI or a user needs is
 * exported from here and only here.
 */
export * from './contracts';
export * from './registry';
export * from './plugins';
export * from './config';
export * from './nn';
export * from './util';
export * from './backend';
export * from './encoders';
export * from './heads';
export * from './scores';
export * from './losses';
export * from './objectives';
export * from './samplers';
export * from './augment';
export * from './data';
export * from './optim';
export * from './methods';
export * from './views';
export * from './monitor';
export * from './trainer';
export * from './tracking';
export * from './builtins';
