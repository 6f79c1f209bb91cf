/** Image augmentations (kind `augment`) and their composition. */
export * from './builtins';
export * from './color-jitter';
export * from './compose';
export * from './cutout';
export * from './flip';
export * from './gaussian-noise';
export * from './per-example';
export * from './random-resized-crop';
export * from './translate';
