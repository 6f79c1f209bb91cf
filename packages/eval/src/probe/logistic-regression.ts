import * as tf from '@tensorflow/tfjs';
import { SeededRng } from '@contrastive/framework';
import type { LabelledFeatures } from '../features/labelled-features';
import { LinearClassifier, softmaxCrossEntropy } from './linear-classifier';

/**
 * A held-out loss must drop by more than this (nats) to count as progress, as `tol` does in
 * scikit-learn: the loss of a nearly converged probe keeps creeping down by 1e-5 per epoch,
 * which would otherwise run every epoch for nothing.
 */
export const MIN_IMPROVEMENT = 1e-4;

/** How {@link trainLogisticRegression} optimises. */
export interface LogisticRegressionOptions {
  /** Most passes over the fitting examples. */
  epochs: number;
  /** Examples per Adam step (at most; small sets use smaller batches, see minStepsPerEpoch). */
  batchSize: number;
  /** Initial Adam learning rate. */
  lr: number;
  /**
   * L2 penalty λ on the weights (not the bias): the loss adds λ/2·‖W‖², so the gradient
   * gains λW, which is what `weight_decay` means for PyTorch's Adam.
   */
  weightDecay: number;
  /** Epochs without progress on the held-out loss before the learning rate drops (or training stops). */
  patience: number;
  /** Times the learning rate is divided by 10 on a plateau before the next plateau stops training. */
  lrDrops: number;
  /** Seeds the order of examples; weights start at zero (the problem is convex). */
  seed: number;
  /** Fewest Adam steps per epoch: smaller sets get smaller batches (default MIN_STEPS_PER_EPOCH). */
  minStepsPerEpoch?: number;
}

/** A trained classifier and how training went. */
export interface LogisticRegressionFit {
  classifier: LinearClassifier;
  /** Epochs actually run (fewer than `epochs` when early stopping fired). */
  epochsRun: number;
  /** 1-based epoch whose weights were kept: the one with the lowest held-out loss. */
  bestEpoch: number;
  /** Held-out cross-entropy at `bestEpoch`; null without a held-out set. */
  bestHoldoutLoss: number | null;
}

/**
 * Small training sets still get this many steps per epoch (their batches shrink), so the
 * number of updates per epoch, and with it `patience`, means much the same at 1% and 100%
 * of the labels.
 */
export const MIN_STEPS_PER_EPOCH = 10;

/**
 * Multinomial logistic regression trained with Adam on mini-batches, an L2 penalty, and
 * early stopping with learning-rate drops (as Keras' ReduceLROnPlateau + EarlyStopping):
 * after every epoch the cross-entropy on `holdout` is measured; when it has not improved
 * by {@link MIN_IMPROVEMENT} for `patience` epochs, training resumes from the best weights
 * with the learning rate divided by 10, up to `lrDrops` times, and the next plateau ends it.
 * The weights of the epoch with the lowest held-out loss are returned. Without a held-out
 * set, all `epochs` run at the initial learning rate and the last weights are kept.
 *
 * @param fit features [N, D] and labels of the examples to fit
 * @param holdout features [M, D] and labels for early stopping, or null
 * @param numClasses C: logits are [N, C]
 */
export function trainLogisticRegression(
  fit: LabelledFeatures, holdout: LabelledFeatures | null, numClasses: number, options: LogisticRegressionOptions,
): LogisticRegressionFit {
  const [n, d] = fit.features.shape;
  if (fit.labels.length !== n) throw new Error(`trainLogisticRegression: ${fit.labels.length} labels for ${n} examples`);
  if (n === 0) throw new Error('trainLogisticRegression: no examples to fit');
  const batchSize = Math.max(1, Math.min(options.batchSize, Math.ceil(n / (options.minStepsPerEpoch ?? MIN_STEPS_PER_EPOCH))));
  const w = zeroVariable([d, numClasses]);
  const b = zeroVariable([numClasses]);
  const yFit = tf.tensor1d(fit.labels, 'int32');
  const yHold = holdout ? tf.tensor1d(holdout.labels, 'int32') : null;
  let lr = options.lr;
  let optimizer = tf.train.adam(lr);
  const rng = new SeededRng(options.seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const halfDecay = options.weightDecay / 2;

  let best: { w: tf.Tensor2D; b: tf.Tensor1D } | null = null;
  let bestLoss = Infinity;
  let bestEpoch = 0;
  let lastGain = 0;
  let drops = 0;
  let epoch = 0;
  try {
    while (epoch < options.epochs) {
      epoch += 1;
      shuffleInPlace(order, rng);
      // One gather per epoch, then cheap slices: per-step gathers cost as much as the step.
      const [xEpoch, yEpoch] = tf.tidy(() => {
        const perm = tf.tensor1d(order, 'int32');
        return [tf.gather(fit.features, perm), tf.gather(yFit, perm)];
      });
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        tf.tidy(() => {
          const x = xEpoch.slice([start, 0], [size, d]) as tf.Tensor2D;
          const y = yEpoch.slice(start, size) as tf.Tensor1D;
          optimizer.minimize(() => {
            const ce = softmaxCrossEntropy(tf.add(tf.matMul(x, w), b) as tf.Tensor2D, y);
            return halfDecay > 0 ? tf.add(ce, tf.mul(halfDecay, tf.sum(tf.square(w)))) as tf.Scalar : ce;
          }, false, [w, b]);
        });
      }
      tf.dispose([xEpoch, yEpoch]);
      if (!holdout || !yHold) continue;
      const loss = holdoutLoss(holdout.features, yHold, w, b);
      if (loss < bestLoss) {
        // Tiny improvements keep the better weights but do not extend the patience.
        if (loss < bestLoss - MIN_IMPROVEMENT) lastGain = epoch;
        bestLoss = loss;
        bestEpoch = epoch;
        if (best) tf.dispose([best.w, best.b]);
        best = { w: tf.clone(w) as tf.Tensor2D, b: tf.clone(b) as tf.Tensor1D };
      }
      if (epoch - lastGain < options.patience) continue;
      if (drops >= options.lrDrops || !best) break;
      drops += 1;
      lr /= 10;
      lastGain = epoch;
      w.assign(best.w);
      b.assign(best.b);
      optimizer.dispose();
      optimizer = tf.train.adam(lr);
    }
    const classifier = best
      ? new LinearClassifier(best.w, best.b)
      : new LinearClassifier(tf.clone(w) as tf.Tensor2D, tf.clone(b) as tf.Tensor1D);
    return { classifier, epochsRun: epoch, bestEpoch: best ? bestEpoch : epoch, bestHoldoutLoss: best ? bestLoss : null };
  } finally {
    optimizer.dispose();
    tf.dispose([w, b, yFit, ...(yHold ? [yHold] : [])]);
  }
}

/** A trainable variable of zeros (tf.variable copies its initial value, which is then freed). */
function zeroVariable(shape: number[]): tf.Variable {
  const init = tf.zeros(shape);
  const v = tf.variable(init);
  init.dispose();
  return v;
}

function holdoutLoss(x: tf.Tensor2D, y: tf.Tensor1D, w: tf.Variable, b: tf.Variable): number {
  const t = tf.tidy(() => softmaxCrossEntropy(tf.add(tf.matMul(x, w), b) as tf.Tensor2D, y));
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

function shuffleInPlace(a: Int32Array, rng: SeededRng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
