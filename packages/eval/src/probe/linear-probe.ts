import * as tf from '@tensorflow/tfjs';
import type { LabelledFeatures } from '../features/labelled-features';
import { trainLogisticRegression, type LogisticRegressionOptions } from './logistic-regression';
import { stratifiedHoldout } from './stratified-split';
import { topkAccuracy } from './topk-accuracy';

/** Options of the linear-classification protocol. */
export interface LinearProbeOptions extends LogisticRegressionOptions {
  /** Share of each class of the labelled examples held out for early stopping (0 = none). */
  validationFraction: number;
}

/** Test accuracy of a linear classifier on frozen features, and how it was trained. */
export interface LinearProbeResult {
  top1: number;
  top5: number;
  /** Labelled examples the classifier was fitted on, and held out for early stopping. */
  fitCount: number;
  holdoutCount: number;
  epochsRun: number;
  bestEpoch: number;
  seconds: number;
}

/**
 * The linear-classification protocol on frozen, already standardised features: holds out
 * a stratified `validationFraction` of the labelled examples, fits a multinomial logistic
 * regression on the rest ({@link trainLogisticRegression}: Adam, L2 penalty, early stopping
 * on the held-out loss), and reports top-1 and top-5 accuracy on the test features.
 *
 * @param train standardised features [N, D] with labels (only these labels are used)
 * @param test standardised features [M, D] with labels
 * @param numClasses C
 */
export function linearProbe(train: LabelledFeatures, test: LabelledFeatures, numClasses: number, options: LinearProbeOptions): LinearProbeResult {
  const started = performance.now();
  const { fit, holdout } = stratifiedHoldout(train.labels, options.validationFraction, options.seed);
  const pick = (indices: number[]): LabelledFeatures => ({
    features: tf.tidy(() => tf.gather(train.features, tf.tensor1d(indices, 'int32'))),
    labels: Int32Array.from(indices, (i) => train.labels[i]),
  });
  const fitSet = pick(fit);
  const holdoutSet = holdout.length > 0 ? pick(holdout) : null;
  try {
    const trained = trainLogisticRegression(fitSet, holdoutSet, numClasses, options);
    const logits = trained.classifier.logits(test.features);
    const top1 = topkAccuracy(logits, test.labels, 1);
    const top5 = topkAccuracy(logits, test.labels, 5);
    tf.dispose(logits);
    trained.classifier.dispose();
    return {
      top1, top5, fitCount: fit.length, holdoutCount: holdout.length,
      epochsRun: trained.epochsRun, bestEpoch: trained.bestEpoch, seconds: (performance.now() - started) / 1000,
    };
  } finally {
    tf.dispose([fitSet.features, ...(holdoutSet ? [holdoutSet.features] : [])]);
  }
}
