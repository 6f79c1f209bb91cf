import * as tf from '@tensorflow/tfjs';
import {
  combineVariables, l2Normalize, positiveAccuracy, UserInputError,
  type ContrastiveLoss, type Encoder, type HasVariables, type Images, type Method, type NegativeSampler,
  type PositiveSampler, type ScoreFunction, type StepContext, type StepOutput,
} from '@contrastive/framework';
import type { MomentumEncoder } from '../momentum/momentum-encoder';
import { momentumAt } from '../momentum/momentum-schedule';
import { checkGroups, encodeInGroups, encodeShuffled, hasBatchNorm, type BatchNormMode } from './batch-norm-groups';
import { mocoLogits } from './moco-logits';

/** What a MoCo step does besides its parts (the method options that shape the step). */
export interface MocoStepOptions {
  /** tau: logits are scores / tau. */
  temperature: number;
  /** Also contrast the key view's query with the query view's key and average both losses. */
  symmetric: boolean;
  batchNorm: BatchNormMode;
  /** Groups for `split` and `shuffle` batch norm. */
  batchNormGroups: number;
}

/** The built parts of a MoCo method. */
export interface MocoParts {
  /** The query encoder's representation, the one evaluated after training. */
  backbone: Encoder;
  /** f_q (backbone + head) and its momentum copy f_k. */
  encoders: MomentumEncoder;
  positives: PositiveSampler;
  negatives: NegativeSampler;
  score: ScoreFunction;
  loss: ContrastiveLoss;
}

/**
 * Momentum Contrast (He et al. 2019, "Momentum Contrast for Unsupervised Visual
 * Representation Learning", arXiv:1911.05722; v2: Chen et al. 2020, arXiv:2003.04297).
 *
 * One step, as Algorithm 1 of the paper:
 * 1. two views of the batch from the positives sampler: x_q (anchor) and x_k (positive);
 * 2. q = normalize(f_q(x_q)) [N, D], trainable; k = normalize(f_k(x_k)) [N, D], a constant;
 * 3. logits = [q·k+, q·queue] / tau [N, 1 + K], loss = InfoNCE with the positive at 0
 *    (see {@link mocoLogits}; the score slot computes the products, `dot` by default);
 * 4. after the optimizer step on f_q: theta_k <- m theta_k + (1 - m) theta_q, then the keys
 *    are enqueued and the oldest dequeued (the negatives slot's `afterStep`).
 *
 * With `symmetric`, the roles of the views are also swapped (q from x_k against f_k(x_q)),
 * the two losses are averaged, and both sets of keys (2N) are enqueued.
 *
 * Metrics: `positiveAccuracy` (the positive has the top logit) and `momentum` (m used after
 * this step).
 */
export class MocoMethod implements Method {
  readonly name = 'moco';
  private readonly vars: HasVariables;
  private readonly grouped: boolean;
  private pendingKeys: tf.Tensor2D | null = null;

  constructor(private readonly parts: MocoParts, private readonly options: MocoStepOptions) {
    this.vars = combineVariables([parts.encoders, parts.score, parts.negatives]);
    this.grouped = options.batchNorm !== 'global' && hasBatchNorm(parts.encoders.online);
  }

  /** The query encoder's backbone (before the projection head): what evaluation uses. */
  get encoder(): Encoder {
    return this.parts.backbone;
  }

  /** f_q (with head) and f_k, for inspection and tests. */
  get encoders(): MomentumEncoder {
    return this.parts.encoders;
  }

  loss(x: Images, ctx: StepContext): StepOutput {
    const { positives, encoders } = this.parts;
    if (this.grouped) checkGroups(x.shape[0], this.options.batchNormGroups);
    const { anchor, positive } = positives.sample(x, ctx.rng);
    const q = this.queries(anchor);
    const k = this.keys(positive, ctx);
    const first = this.contrast(q, k);
    let loss = first.loss;
    let enqueue = k;
    if (this.options.symmetric) {
      const second = this.contrast(this.queries(positive), this.keys(anchor, ctx));
      loss = tf.mul(tf.add(first.loss, second.loss), 0.5);
      enqueue = tf.concat([k, second.keys], 0);
    }
    // Kept past the gradient tape's tidy; enqueued after the update.
    this.pendingKeys?.dispose();
    this.pendingKeys = tf.keep(tf.clone(enqueue));
    const m = momentumAt(encoders.schedule, ctx.step, ctx.totalSteps);
    return {
      loss,
      metrics: { positiveAccuracy: positiveAccuracy(first.logits, first.positiveIndex), momentum: tf.scalar(m) },
    };
  }

  /** Momentum update of f_k, then enqueue this step's keys (Algorithm 1's order). */
  afterStep(ctx: StepContext): void {
    this.parts.encoders.update(ctx.step, ctx.totalSteps);
    if (this.pendingKeys && this.parts.negatives.afterStep) this.parts.negatives.afterStep(this.pendingKeys);
    this.pendingKeys?.dispose();
    this.pendingKeys = null;
  }

  trainableVariables(): tf.Variable[] {
    return this.vars.trainableVariables();
  }

  /** f_q and head (`encoder/...`, `head/...`), f_k (`momentum/...`), the queue, score parameters. */
  namedVariables(): Map<string, tf.Variable> {
    return this.vars.namedVariables();
  }

  dispose(): void {
    this.pendingKeys?.dispose();
    this.pendingKeys = null;
    this.vars.dispose();
  }

  /** q = normalize(f_q(x)) [N, D], in batch-norm groups when asked. */
  private queries(x: Images): tf.Tensor2D {
    const encode = (part: Images) => this.parts.encoders.encode(part, { training: true }).global;
    return l2Normalize(this.grouped ? encodeInGroups(x, this.options.batchNormGroups, encode) : encode(x));
  }

  /** k = normalize(f_k(x)) [N, D], detached; shuffled and/or grouped as the BN mode says. */
  private keys(x: Images, ctx: StepContext): tf.Tensor2D {
    const encode = (part: Images) => this.parts.encoders.encodeKeys(part, { training: true });
    const { batchNorm, batchNormGroups } = this.options;
    let k: tf.Tensor2D;
    if (!this.grouped) k = encode(x);
    else if (batchNorm === 'shuffle') k = encodeShuffled(x, batchNormGroups, ctx.rng, encode);
    else k = encodeInGroups(x, batchNormGroups, encode);
    return l2Normalize(k);
  }

  private contrast(q: tf.Tensor2D, k: tf.Tensor2D) {
    const candidates = this.parts.negatives.candidates(k);
    if (candidates.shape[0] < k.shape[0] || candidates.shape[1] !== q.shape[1]) {
      throw new UserInputError(
        `moco: the negatives sampler returned [${candidates.shape.join(', ')}] for keys [${k.shape.join(', ')}]; ` +
          'it must return the keys first, then any extra negatives',
      );
    }
    const { logits, positiveIndex } = mocoLogits(this.parts.score.score(q, candidates), this.options.temperature);
    return { loss: this.parts.loss.compute(logits, positiveIndex), logits, positiveIndex, keys: k };
  }
}
