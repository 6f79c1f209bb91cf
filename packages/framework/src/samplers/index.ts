export * from './two-views-sampler';
export * from './in-batch-negatives';
export * from './builtins';
export * from './memory-bank-negatives';
export * from './memory-bank-definition';
export * from './view-pair-sampler';
