export * from './variable-store';
export * from './variable-owner';
export * from './functional';
export * from './dense';
export * from './conv2d';
export * from './batch-norm';
export * from './native-batch-norm';
export * from './residual-projection';
