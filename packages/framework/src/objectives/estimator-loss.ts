import * as tf from '@tensorflow/tfjs';
import type { ContrastiveLoss, Estimator } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { positiveMask } from '../losses/loss-inputs';
import { DvEstimator } from './dv-estimator';
import { JsdEstimator } from './jsd-estimator';

/**
 * An {@link Estimator} as a `ContrastiveLoss`: the one positive column per row becomes a
 * one-hot positive mask, every other column a negative. So any method with a `loss` slot
 * (the baseline `infonce`, MoCo) can train with the JSD or DV estimators.
 *
 * Shapes: logits [N, M], positiveIndex int32 [N] -> scalar.
 */
export class EstimatorLoss implements ContrastiveLoss {
  constructor(readonly estimator: Estimator) {}

  compute(logits: tf.Tensor2D, positiveIndex: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => this.estimator.loss({ scores: logits, positives: positiveMask(logits, positiveIndex, this.estimator.name) }));
  }
}

/** `loss: { use: jsd }`: the Jensen-Shannon estimator with one positive per row. */
export const jsdLossDefinition = defineComponent<'loss', Record<string, never>>({
  kind: 'loss',
  name: 'jsd',
  description: 'Jensen-Shannon MI estimator (DIM, arXiv:1808.06670) with the positive column as the positive pair.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => new EstimatorLoss(new JsdEstimator()),
});

/** `loss: { use: dv }`: the Donsker-Varadhan estimator with one positive per row. */
export const dvLossDefinition = defineComponent<'loss', Record<string, never>>({
  kind: 'loss',
  name: 'dv',
  description: 'Donsker-Varadhan MI estimator (arXiv:1801.04062) with the positive column as the positive pair.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => new EstimatorLoss(new DvEstimator()),
});
