export * from './base-encoder';
export * from './mlp';
export * from './conv1d-encoder';
export * from './convnet';
export * from './resnet-mini';
export * from './builtins';
export * from './feature-map-sizes';
