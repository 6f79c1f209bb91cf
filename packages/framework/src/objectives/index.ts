/** Objectives over many locations and positive masks (framework API 1.2.0). */
export * from './masked-reductions';
export * from './infonce-estimator';
export * from './jsd-estimator';
export * from './dv-estimator';
export * from './nce-estimator';
export * from './location-pairs';
export * from './score-regularizers';
export * from './estimator-loss';
export * from './builtins';
