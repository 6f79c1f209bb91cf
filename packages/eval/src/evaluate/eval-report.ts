import type { EvalOptions } from '../options/eval-options';
import type { FeatureSetName, RepresentationScores } from './representation-scores';

/** What the training run was, as the report table shows it. */
export interface EvaluatedRunInfo {
  name: string;
  method: string;
  encoder: string;
  /** `train.epochs` when the run was configured by epochs, else null. */
  epochs: number | null;
  /** Optimizer steps the checkpoint had taken. */
  steps: number;
  batchSize: number;
  /** `tracking.experiment` of the run (default `contrastive`). */
  experiment: string;
}

/**
 * Everything one evaluation found, as saved to `<runDir>/evals/<evalId>/eval.json`
 * (what `contrastive report` reads) and returned by {@link evaluateRun}.
 */
export interface EvalReport {
  /** The eval run's id (the tracker's) and the training run it is nested under. */
  evalId: string;
  parentRunId: string;
  runDir: string;
  evalDir: string;
  checkpoint: string;
  /** Training step of the checkpoint; metrics are logged at this step. */
  step: number;
  createdAt: string;
  run: EvaluatedRunInfo;
  data: { name: string; trainCount: number; testCount: number; numClasses: number; shape: number[] };
  options: EvalOptions;
  /** Scores of the trained representation and of each baseline computed. */
  results: Partial<Record<FeatureSetName, RepresentationScores>>;
  /** The flat metrics logged to the tracker (see evalMetrics). */
  metrics: Record<string, number>;
  /** The embedding plot (PNG), or null when `plot: false`. */
  plot: string | null;
  /** Wall-clock seconds of the whole evaluation (data, models, features, probes, plot). */
  seconds: number;
}
