/** Score functions: anchors [N, D] × candidates [M, D] → logits [N, M]. */
export * from './check-inputs';
export * from './dot-score';
export * from './cosine-score';
export * from './bilinear-score';
export * from './builtins';
