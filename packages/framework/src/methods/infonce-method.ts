import * as tf from '@tensorflow/tfjs';
import type {
  ContrastiveLoss, Encoder, HasVariables, Images, Method, NegativeSampler, PositiveSampler,
  ProjectionHead, ScoreFunction, StepContext, StepOutput,
} from '../contracts';
import { buildHead, isNoHead } from '../heads/build-head';
import { defineComponent } from '../registry/component-definition';
import { infoNceBound, positiveAccuracy } from '../losses';
import { combineVariables } from './method-parts';

export interface InfoNceMethodOptions {
  /** Average the loss of both directions (view 1 -> view 2 and view 2 -> view 1). */
  symmetric: boolean;
  /**
   * Log `infoNceBound` = log(N) - loss (nats), the mutual-information lower bound, each
   * step; only meaningful when the loss is InfoNCE (set by the definition from the loss slot).
   */
  logBound?: boolean;
}

/** Name of the representation after the head, for evaluation (`--representation projection`). */
export const PROJECTION_REPRESENTATION = 'projection';

/**
 * The framework's baseline contrastive method: two augmented views of each image, the
 * other images of the batch as negatives, cosine similarity with temperature, InfoNCE
 * (van den Oord et al., arXiv:1807.03748; the construction of SimCLR, arXiv:2002.05709).
 * The loss sees the `head` slot's output z = g(f(x)) (default `none`: z = f(x)); `encoder`
 * is the backbone f, whose representation evaluation reads, and the head's output is
 * offered as the representation `projection`. Every slot can be replaced from the config.
 *
 * Both views go through the encoder in one call ([2B, H, W, C]) so batch-norm sees both
 * views, as in SimCLR, and the step runs one large convolution instead of two small ones.
 */
export class InfoNceMethod implements Method {
  readonly name = 'infonce';
  private readonly vars: HasVariables;

  constructor(
    readonly encoder: Encoder,
    private readonly positives: PositiveSampler,
    private readonly negatives: NegativeSampler,
    private readonly scorer: ScoreFunction,
    private readonly objective: ContrastiveLoss,
    private readonly options: InfoNceMethodOptions,
    private readonly head: ProjectionHead | null = null,
  ) {
    this.vars = combineVariables([encoder, head ?? undefined, scorer, negatives]);
    this.representationNames = head ? [PROJECTION_REPRESENTATION] : [];
  }

  /** `projection` when the method has a head (see `ProvidesRepresentations` in @contrastive/eval). */
  readonly representationNames: readonly string[];

  /** The head's output z for evaluation: [B, H, W, C] -> [B, head.outputDim]. */
  represent(x: Images, name: string): tf.Tensor2D {
    if (!this.head || name !== PROJECTION_REPRESENTATION) throw new Error(`infonce method has no representation "${name}"`);
    const head = this.head;
    return tf.tidy(() => head.apply(this.encoder.encode(x, { training: false }).global, { training: false }));
  }

  private keysForAfterStep: tf.Tensor2D | null = null;

  loss(x: Images, ctx: StepContext): StepOutput {
    const batch = x.shape[0];
    const { anchor, positive } = this.positives.sample(x, ctx.rng);
    const both = tf.concat([anchor, positive], 0);
    const h = this.encoder.encode(both, { training: true }).global;
    const z = this.head ? this.head.apply(h, { training: true }) : h;
    const [za, zp] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    const target = tf.range(0, batch, 1, 'int32') as tf.Tensor1D;

    const keys = this.negatives.candidates(zp, ctx);
    const logits = this.scorer.score(za, keys);
    let loss = this.objective.compute(logits, target);
    if (this.options.symmetric) {
      const reverseKeys = this.negatives.candidates(za, ctx);
      // In-batch candidates (the views themselves) and a score symmetric in its arguments:
      // the reverse direction's logits are the transpose, without scoring (normalising,
      // multiplying, differentiating) a second time.
      const reverseLogits = this.scorer.transposeSwapsArguments && keys === zp && reverseKeys === za
        ? tf.transpose(logits)
        : this.scorer.score(zp, reverseKeys);
      loss = tf.mul(tf.add(loss, this.objective.compute(reverseLogits, target)), 0.5);
    }
    if (this.negatives.afterStep) {
      // Kept past the gradient tape's tidy; handed to the sampler after the update.
      this.keysForAfterStep?.dispose();
      this.keysForAfterStep = tf.keep(zp.clone());
    }
    const metrics: Record<string, tf.Scalar> = { positiveAccuracy: positiveAccuracy(logits, target) };
    if (this.options.logBound) metrics.infoNceBound = infoNceBound(loss, logits.shape[1]);
    return { loss, metrics };
  }

  afterStep(ctx: StepContext): void {
    if (this.keysForAfterStep && this.negatives.afterStep) {
      this.negatives.afterStep(this.keysForAfterStep, ctx);
    }
    this.keysForAfterStep?.dispose();
    this.keysForAfterStep = null;
  }

  trainableVariables(): tf.Variable[] {
    return this.vars.trainableVariables();
  }

  namedVariables(): Map<string, tf.Variable> {
    return this.vars.namedVariables();
  }

  dispose(): void {
    this.keysForAfterStep?.dispose();
    this.vars.dispose();
  }
}

export const infonceMethodDefinition = defineComponent({
  kind: 'method',
  name: 'infonce',
  description: 'Baseline: two augmented views, in-batch negatives, cosine score with temperature, InfoNCE.',
  schema: {
    type: 'object',
    properties: {
      symmetric: { type: 'boolean', default: true, description: 'Average the loss over both view directions.' },
      logBound: { type: 'boolean', description: 'Log infoNceBound = log(N) - loss each step (default: when the loss is infonce).' },
    },
    additionalProperties: false,
  },
  // SimCLR's arrangement (arXiv:2002.05709): a batch-norm encoder whose pooled 512-d last
  // stage is the evaluated representation, an MLP head with batch norm for the loss, cosine
  // scores at temperature 0.2; measured against the older small encoder without a head in
  // the root README ("Representation quality").
  defaults: {
    encoder: { use: 'convnet', channels: [32, 64, 128, 512], batchNorm: true, projection: false },
    head: { use: 'mlp', hiddenDims: [512], outputDim: 128, batchNorm: true },
    positives: { use: 'two-views' },
    negatives: { use: 'in-batch' },
    score: { use: 'cosine', temperature: 0.2 },
    loss: { use: 'infonce' },
    augment: [{ use: 'random-resized-crop', scale: [0.3, 1] }, { use: 'flip' }, { use: 'color-jitter' }],
  },
  create: (options: InfoNceMethodOptions, ctx) => {
    const encoder = ctx.build('encoder', ctx.slots.encoder);
    return new InfoNceMethod(
      encoder,
      ctx.build('positives', ctx.slots.positives),
      ctx.build('negatives', ctx.slots.negatives),
      ctx.build('score', ctx.slots.score),
      ctx.build('loss', ctx.slots.loss),
      { ...options, logBound: options.logBound ?? ctx.slots.loss.use === 'infonce' },
      isNoHead(ctx.slots.head) ? null : buildHead(ctx, encoder.embeddingDim),
    );
  },
});
