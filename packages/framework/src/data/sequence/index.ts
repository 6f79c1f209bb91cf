/** Sequence data sources (modality `sequence`, batches [B, T, D]); framework API 1.3.0. */
export * from './synthetic-sequence';
export * from './image-rows';
export * from './npy-reader';
export * from './csv-sequences';
export * from './ts-format';
export * from './sequence-files';
export * from './ts-files';
