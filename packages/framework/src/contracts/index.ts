export * from './tensors';
export * from './rng';
export * from './data';
export * from './modality';
export * from './components';
export * from './tracker';
export * from './objectives';
export * from './views';
