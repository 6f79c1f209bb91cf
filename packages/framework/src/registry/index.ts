export * from './component-definition';
export * from './errors';
export * from './registry';
export * from './tokens';
