import * as tf from '@tensorflow/tfjs';
import type { LabelledFeatures } from '../features/labelled-features';
import { standardizeSplits } from '../features/standardize';
import { knnClassify } from '../knn/knn-classifier';
import { balancedLabelSubset } from '../label-efficiency/balanced-label-subset';
import { linearProbe, type LinearProbeOptions } from '../probe/linear-probe';
import { LINEAR_PROBE_DEFAULTS, type EvalOptions } from '../options/eval-options';
import type { LabelFractionScores, RepresentationScores } from './representation-scores';

/**
 * Runs the evaluations `options` asks for on one set of frozen features: the linear probe
 * on all training labels, the probe on class-balanced fractions of them (label
 * efficiency; a fraction of 1 reuses the full probe), and weighted kNN. The probes see
 * standardised features (train statistics); kNN sees the features as they are (it
 * normalises them itself). The inputs are not disposed.
 *
 * @param train features [N, D] and labels of the training split
 * @param test features [M, D] and labels of the test split
 * @param featureSeconds time spent computing the features, recorded in the result
 */
export function evaluateFeatures(
  train: LabelledFeatures, test: LabelledFeatures, numClasses: number, options: EvalOptions, featureSeconds: number,
): RepresentationScores {
  const scores: RepresentationScores = { dim: train.features.shape[1], featureSeconds, linear: null, knn: null, labelEfficiency: [] };
  const fractions = options.labelEfficiency ? options.labelEfficiency.fractions : [];
  if (options.linearProbe || fractions.length > 0) {
    const probe: LinearProbeOptions = { ...(options.linearProbe || LINEAR_PROBE_DEFAULTS), seed: options.seed };
    const std = standardizeSplits(train.features, test.features);
    try {
      const stdTest = { features: std.test, labels: test.labels };
      if (options.linearProbe) {
        scores.linear = linearProbe({ features: std.train, labels: train.labels }, stdTest, numClasses, probe);
      }
      for (const fraction of [...fractions].sort((a, b) => a - b)) {
        scores.labelEfficiency.push(labelFraction(std.train, train.labels, stdTest, numClasses, probe, fraction, scores));
      }
    } finally {
      tf.dispose([std.train, std.test]);
    }
  }
  if (options.knn) {
    const { top1, top5, seconds } = knnClassify(train, test, numClasses, options.knn);
    scores.knn = { top1, top5, seconds };
  }
  return scores;
}

function labelFraction(
  stdTrain: tf.Tensor2D, labels: Int32Array, test: LabelledFeatures, numClasses: number,
  probe: LinearProbeOptions, fraction: number, scores: RepresentationScores,
): LabelFractionScores {
  if (fraction === 1 && scores.linear) {
    const { top1, top5, seconds } = scores.linear;
    return { fraction, labelled: labels.length, top1, top5, seconds };
  }
  const subset = balancedLabelSubset(labels, fraction, probe.seed);
  const features = tf.tidy(() => tf.gather(stdTrain, tf.tensor1d(subset, 'int32')));
  try {
    const r = linearProbe({ features, labels: Int32Array.from(subset, (i) => labels[i]) }, test, numClasses, probe);
    return { fraction, labelled: subset.length, top1: r.top1, top5: r.top5, seconds: r.seconds };
  } finally {
    features.dispose();
  }
}
