/** Optimizers (own implementations with checkpointable state) and lr-factor schedules. */
export * from './optimizer-state';
export * from './sgd-optimizer';
export * from './adam-optimizer';
export * from './warmup';
export * from './constant-schedule';
export * from './cosine-schedule';
export * from './builtins';
