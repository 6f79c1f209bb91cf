import type { LinearProbeOptions } from '../probe/linear-probe';

/**
 * Linear-probe settings (`eval.linearProbe`): the probe's own options without those the
 * evaluation sets itself (`seed` comes from `eval.seed`); see the README for why each default.
 */
export type LinearProbeSettings = Omit<LinearProbeOptions, 'seed' | 'minStepsPerEpoch'>;

/** kNN settings (`eval.knn`). */
export interface KnnSettings {
  k: number;
  temperature: number;
}

/** Label-efficiency settings (`eval.labelEfficiency`). */
export interface LabelEfficiencySettings {
  /** Fractions of the training labels, class balanced; 1 reuses the full linear probe. */
  fractions: number[];
}

/** Which baselines are computed by the same code on the same data (`eval.baselines`). */
export interface BaselineSettings {
  /** The same encoder at its initialisation (same seed), never trained. */
  untrained: boolean;
  /** The flattened pixels themselves. */
  rawPixels: boolean;
  /**
   * Reuse baseline results computed before for the same data, protocol and model config
   * (`~/.cache/contrastive/eval-baselines`, or `$CONTRASTIVE_EVAL_CACHE_DIR`).
   */
  cache: boolean;
}

/** The 2-D embedding plot (`eval.plot`). */
export interface PlotSettings {
  method: 'umap';
  /** Test examples plotted (class balanced); UMAP's cost grows with it. */
  maxPoints: number;
  /** UMAP neighbourhood size. */
  neighbors: number;
  /** UMAP minimum distance between embedded points. */
  minDist: number;
  /** UMAP optimisation epochs. */
  epochs: number;
  /** Image width and height in pixels. */
  width: number;
  height: number;
}

/**
 * The validated `eval:` block of a config (or of `contrastive eval`): every evaluation runs
 * unless its block is `false`; `true` or `{}` means its defaults.
 */
export interface EvalOptions {
  /** `global`, an encoder feature map (pooled), or a name the method provides. */
  representation: string;
  /** Values merged into the run's `data` block for evaluation, e.g. `{ limit: 10000 }`. */
  data: Record<string, unknown>;
  /** Images per forward pass when extracting features. */
  batchSize: number;
  /** Seeds the held-out split, example order, label subsets and the plot layout. */
  seed: number;
  linearProbe: LinearProbeSettings | false;
  knn: KnnSettings | false;
  labelEfficiency: LabelEfficiencySettings | false;
  baselines: BaselineSettings;
  plot: PlotSettings | false;
}

export const LINEAR_PROBE_DEFAULTS: LinearProbeSettings = {
  epochs: 100, batchSize: 1024, lr: 0.01, weightDecay: 1e-4, patience: 5, lrDrops: 2, validationFraction: 0.1,
};
export const KNN_DEFAULTS: KnnSettings = { k: 20, temperature: 0.07 };
export const LABEL_EFFICIENCY_DEFAULTS: LabelEfficiencySettings = { fractions: [0.01, 0.1, 1] };
export const BASELINE_DEFAULTS: BaselineSettings = { untrained: true, rawPixels: true, cache: true };
export const PLOT_DEFAULTS: PlotSettings = {
  method: 'umap', maxPoints: 2000, neighbors: 15, minDist: 0.1, epochs: 200, width: 900, height: 640,
};

/** Every default, as `resolveEvalOptions({})` returns them. */
export const EVAL_DEFAULTS: EvalOptions = {
  representation: 'global', data: {}, batchSize: 512, seed: 0,
  linearProbe: LINEAR_PROBE_DEFAULTS, knn: KNN_DEFAULTS, labelEfficiency: LABEL_EFFICIENCY_DEFAULTS,
  baselines: BASELINE_DEFAULTS, plot: PLOT_DEFAULTS,
};
