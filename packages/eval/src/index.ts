/**
 * @contrastive/eval — is a learned representation any good? The linear-classification
 * protocol, weighted kNN, label efficiency, untrained-encoder and raw-pixel baselines,
 * UMAP embedding plots, and report tables, recorded through the framework's Tracker.
 */
export * from './features/labelled-features';
export * from './features/representation';
export * from './features/extract-features';
export * from './features/standardize';
export * from './probe/linear-classifier';
export * from './probe/logistic-regression';
export * from './probe/linear-probe';
export * from './probe/topk-accuracy';
export * from './probe/stratified-split';
export * from './knn/knn-classifier';
export * from './label-efficiency/balanced-label-subset';
export * from './options/eval-options';
export * from './options/eval-options-schema';
export * from './options/resolve-eval-options';
export * from './plot/umap-projection';
export * from './plot/scatter-plot';
export * from './plot/embedding-plot';
export * from './runs/run-locator';
export * from './runs/file-system-run-locator';
export * from './runs/rebuild-model';
export * from './evaluate/representation-scores';
export * from './evaluate/evaluate-features';
export * from './evaluate/baseline-cache';
export * from './evaluate/eval-metrics';
export * from './evaluate/eval-report';
export * from './evaluate/evaluate-run';
export * from './evaluate/run-eval-options';
export * from './evaluate/run-info';
export * from './evaluate/results-table';
export * from './report/experiment-runs';
export * from './report/markdown-report';
