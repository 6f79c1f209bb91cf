export * from './two-views-sampler';
export * from './in-batch-negatives';
export * from './builtins';
