import * as tf from '@tensorflow/tfjs';
import {
  combineVariables, positiveAccuracy, type ContrastiveLoss, type Encoder, type HasVariables, type Images, type Method,
  type MultiViewEncoder, type NegativeSampler, type ProjectionHead, type ScoreFunction, type StepContext, type StepOutput, type ViewSet,
} from '@contrastive/framework';
import { cmcLoss } from './cmc-loss';

/**
 * Contrastive Multiview Coding (Tian, Krishnan & Isola 2019, arXiv:1906.05849): each view of
 * a scene (the L and ab channels of an image, an image and its edges, ...) has its own
 * encoder, and the views of one example are pulled together while views of different
 * examples are pushed apart, for every pair of views the pairing chooses. One step:
 *
 * 1. `views.sample(x)` makes every named view of the batch (augmentations, then transforms);
 * 2. each view's encoder maps it to h_v, and the view's projection head (the `head` slot,
 *    default none) to z_v = g_v(h_v) [B, D];
 * 3. each view's negatives give its candidates C_v (in-batch: z_v itself; a memory bank:
 *    the batch's bank entries and K sampled ones; a queue: z_v and past keys), once per step;
 * 4. {@link cmcLoss} averages the InfoNCE (or NCE, ...) of both directions of every pair;
 * 5. after the update each view's negatives receive that view's detached z_v (bank or queue update).
 *
 * `encoder` is the concatenation of the view encoders, before any head (the paper's evaluated representation);
 * `representationNames` / `represent` give each view's encoder alone, for `eval.representation`.
 */
export class CmcMethod implements Method {
  readonly name = 'cmc';
  private readonly vars: HasVariables;
  private keysForAfterStep: Record<string, tf.Tensor2D> | null = null;

  constructor(
    readonly encoder: MultiViewEncoder,
    readonly views: ViewSet,
    readonly negatives: ReadonlyMap<string, NegativeSampler>,
    private readonly scorer: ScoreFunction,
    private readonly objective: ContrastiveLoss,
    readonly pairs: readonly (readonly [string, string])[],
    /** Projection head of each view (none: the loss sees the encoder's output). */
    readonly heads: ReadonlyMap<string, ProjectionHead> = new Map(),
  ) {
    this.vars = combineVariables([encoder, ...heads.values(), scorer, ...negatives.values()]);
  }

  /** The encoder of view `name`. */
  viewEncoder(name: string): Encoder {
    return this.encoder.encoders.get(name)!;
  }

  /** The view names: each is a representation `eval.representation` may choose (default `global`: all, concatenated). */
  get representationNames(): readonly string[] {
    return this.encoder.representationNames;
  }

  /** View `name`'s representation [B, D] (no augmentation, evaluation mode). */
  represent(x: Images, name: string): tf.Tensor2D {
    return this.encoder.represent(x, name);
  }

  loss(x: Images, ctx: StepContext): StepOutput {
    const batch = x.shape[0];
    const sampled = this.views.sample(x, ctx.rng);
    const z: Record<string, tf.Tensor2D> = {};
    const candidates: Record<string, tf.Tensor2D> = {};
    for (const name of this.views.names) {
      const h = this.viewEncoder(name).encode(sampled[name], { training: true }).global;
      const head = this.heads.get(name);
      z[name] = head ? head.apply(h, { training: true }) : h;
      candidates[name] = this.negatives.get(name)!.candidates(z[name], ctx);
    }
    tf.dispose(Object.values(sampled));
    const target = tf.range(0, batch, 1, 'int32') as tf.Tensor1D;
    const { loss, firstLogits } = cmcLoss(z, candidates, this.pairs, this.scorer, this.objective, target);
    if ([...this.negatives.values()].some((n) => n.afterStep)) {
      // Kept past the gradient tape's tidy; handed to the samplers after the update.
      this.disposeKeys();
      this.keysForAfterStep = Object.fromEntries(Object.entries(z).map(([n, t]) => [n, tf.keep(t.clone())]));
    }
    return { loss, metrics: { positiveAccuracy: positiveAccuracy(firstLogits, target) } };
  }

  afterStep(ctx: StepContext): void {
    if (this.keysForAfterStep) {
      for (const [name, keys] of Object.entries(this.keysForAfterStep)) this.negatives.get(name)!.afterStep?.(keys, ctx);
    }
    this.disposeKeys();
  }

  private disposeKeys(): void {
    if (this.keysForAfterStep) tf.dispose(Object.values(this.keysForAfterStep));
    this.keysForAfterStep = null;
  }

  trainableVariables(): tf.Variable[] {
    return this.vars.trainableVariables();
  }

  namedVariables(): Map<string, tf.Variable> {
    return this.vars.namedVariables();
  }

  dispose(): void {
    this.disposeKeys();
    this.vars.dispose();
  }
}
