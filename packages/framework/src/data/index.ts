/** Data sources (kind `data`) and batching. */
export * from './batch-iterator';
export * from './builtins';
export * from './dataset-cache';
export * from './dataset-slice';
export * from './dataset-utils';
export * from './fashion-mnist';
export * from './image-decode';
export * from './image-folder';
export * from './mnist';
export * from './packaged-source';
export * from './schema-common';
export * from './synthetic';
export * from './sequence';
