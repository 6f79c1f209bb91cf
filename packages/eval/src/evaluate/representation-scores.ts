import type { LinearProbeResult } from '../probe/linear-probe';

/** Linear-probe accuracy on the test split, and how the classifier was trained. */
export type LinearScores = LinearProbeResult;

/** Weighted-kNN accuracy on the test split. */
export interface KnnScores {
  top1: number;
  top5: number;
  seconds: number;
}

/** The linear probe trained on a class-balanced fraction of the training labels. */
export interface LabelFractionScores {
  fraction: number;
  /** Labelled examples used (fitted plus held out). */
  labelled: number;
  top1: number;
  top5: number;
  seconds: number;
}

/** Every evaluation of one representation (the trained model's, or a baseline's). */
export interface RepresentationScores {
  /** Dimension D of the features. */
  dim: number;
  /** Seconds spent computing the train and test features. */
  featureSeconds: number;
  linear: LinearScores | null;
  knn: KnnScores | null;
  labelEfficiency: LabelFractionScores[];
}

/** The feature sets an evaluation compares. */
export type FeatureSetName = 'trained' | 'untrained' | 'rawPixels';

/** Metric-name prefix of each feature set (MLflow keys allow letters, digits, `_ - . /`). */
export const FEATURE_SET_PREFIX: Record<FeatureSetName, string> = { trained: '', untrained: 'untrained.', rawPixels: 'raw_pixels.' };

/** The label of a fraction in metric names and tables: 0.01 -> `1pct`, 0.005 -> `0.5pct`. */
export function fractionLabel(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(6))}pct`;
}
