export * from './method-parts';
export * from './infonce-method';
export * from './builtins';
