import type * as tf from '@tensorflow/tfjs';
import type { HasVariables, HostImages, Images } from './tensors';
import type { Batch, Modality } from './modality';
import type { Rng } from './rng';

/** What an encoder returns for a batch. */
export interface EncoderOutput {
  /** The representation: [B, embeddingDim]. */
  global: tf.Tensor2D;
  /** Named intermediate feature maps [B, H, W, C], only those asked for. */
  features: Record<string, tf.Tensor4D>;
}

/**
 * Maps images (or, for a sequence encoder, sequences) to representations: x -> f(x).
 * DIM and AMDIM ask for local feature maps by name; every encoder lists the names it has.
 * A sequence encoder's feature maps are [B, T', 1, C] (time as height, width 1), so code
 * that pools or compares feature maps works on them unchanged.
 */
export interface Encoder extends HasVariables {
  readonly embeddingDim: number;
  /** What `encode` accepts (framework API 1.3.0); absent means `image`. */
  readonly modality?: Modality;
  /** Names of the feature maps `encode` can return, from shallow to deep. */
  readonly featureNames: readonly string[];
  /**
   * @param x [B, H, W, C] images in [0, 1], or [B, T, D] sequences for a sequence encoder
   * @param options.training true in a training step (batch-norm uses batch statistics and
   *   updates its running averages); false for evaluation
   * @param options.features names of intermediate maps to return (default none)
   */
  encode(x: Batch, options: { training: boolean; features?: readonly string[] }): EncoderOutput;
}

/**
 * A projection head g between the encoder's representation h and the loss: z = g(h)
 * (SimCLR, Chen et al. 2020, arXiv:2002.05709, section 4.2). The loss sees z; evaluation
 * and `embed` read h, the backbone's representation, unless told otherwise.
 */
export interface ProjectionHead extends HasVariables {
  /** Size of h, the encoder's `embeddingDim`. */
  readonly inputDim: number;
  /** Size of z. */
  readonly outputDim: number;
  /**
   * @param h [B, inputDim]
   * @param options.training batch statistics (true) or running statistics (false) where the head has batch norm
   * @returns z [B, outputDim]
   */
  apply(h: tf.Tensor2D, options: { training: boolean }): tf.Tensor2D;
}

/** An image-level random transformation applied to a batch, one draw per example. */
export interface Augmentation {
  /** [B, H, W, C] -> [B, H, W, C]; randomness only from `rng`. */
  apply(x: Images, rng: Rng): Images;
  /**
   * Optional: the same transformation on a host copy of the batch. It must draw from `rng`
   * exactly as `apply` does and give the same values up to float32 rounding. It may write
   * into `x.data` (the pipeline's own copy) and return `x`, or return a new array. A
   * pipeline runs its leading augmentations that have this on the host, then uploads once:
   * a few typed-array loops cost less than several kernel launches per augmentation on
   * every backend (measured in tools/bench/README.md).
   */
  applyToPixels?(x: HostImages, rng: Rng): HostImages;
}

/** Anchor and positive views of the same examples, aligned by index. */
export interface ViewPair {
  anchor: Images;
  positive: Images;
}

/** Builds (anchor, positive) pairs from a batch: two augmentations, two views, ... */
export interface PositiveSampler {
  sample(x: Images, rng: Rng): ViewPair;
}

/**
 * Supplies the candidates an anchor is contrasted against. `candidates(keys)` returns a
 * matrix [M, D] whose row i is the positive for anchor i (i < B) and whose other rows are
 * negatives: in-batch returns the keys themselves; a queue appends its stored keys.
 */
export interface NegativeSampler extends Partial<HasVariables> {
  /**
   * @param ctx the step's context (API 1.4): samplers that store one entry per training
   *   example (a memory bank) read `ctx.exampleIndices`; others ignore it
   */
  candidates(keys: tf.Tensor2D, ctx?: StepContext): tf.Tensor2D;
  /** Called after the optimizer step with the (detached) keys of that step and the step's context. */
  afterStep?(keys: tf.Tensor2D, ctx?: StepContext): void;
}

/** Scores anchors against candidates: [N, D] x [M, D] -> logits [N, M]. */
export interface ScoreFunction extends Partial<HasVariables> {
  score(anchors: tf.Tensor2D, candidates: tf.Tensor2D): tf.Tensor2D;
  /**
   * True when score(c, a) is score(a, c) transposed for every a and c (cosine, dot; not
   * bilinear). A method that scores both directions of the same pair may then transpose
   * the first logits instead of scoring again.
   */
  readonly transposeSwapsArguments?: boolean;
}

/**
 * A contrastive objective over a logit matrix [N, M] where row i's positive is at column
 * `positiveIndex[i]`; every other column of the row is a negative. Returns a scalar.
 */
export interface ContrastiveLoss {
  compute(logits: tf.Tensor2D, positiveIndex: tf.Tensor1D): tf.Scalar;
}

/** Everything a method's step may need besides the batch. */
export interface StepContext {
  /** Global step number (0-based) of the step being computed. */
  step: number;
  /**
   * Steps of the whole run (for schedules inside a method, e.g. a momentum that rises to 1).
   * The trainer always sets it; it is optional so that hand-made contexts in tests stay valid.
   */
  totalSteps?: number;
  rng: Rng;
  /**
   * Dataset indices of the batch's examples, row i of the batch = example
   * `exampleIndices[i]` of the training split (API 1.4; the trainer always sets it, for
   * components that keep one entry per example such as the `memory-bank` negatives).
   */
  exampleIndices?: Int32Array;
}

/** The result of one training-step forward pass. */
export interface StepOutput {
  loss: tf.Scalar;
  /** Extra scalars to log (for example positive-pair accuracy). */
  metrics: Record<string, tf.Scalar>;
}

/**
 * A contrastive method: composes encoder, samplers, score and loss into one training step.
 * `loss` is called inside the optimizer's gradient tape; `afterStep` runs after the update
 * (momentum encoders, queue enqueue) outside it.
 */
export interface Method extends HasVariables {
  readonly name: string;
  /** The encoder whose representation is evaluated after training. */
  readonly encoder: Encoder;
  /** @param x the batch: images [B, H, W, C], or sequences [B, T, D] for a method that accepts them */
  loss(x: Batch, ctx: StepContext): StepOutput;
  afterStep?(ctx: StepContext): void;
}

/** Learning rate as a function of the step. */
export interface Schedule {
  /** Learning rate for `step` (0-based) of `totalSteps`. */
  lr(step: number, totalSteps: number): number;
}

/** A gradient-based optimizer with checkpointable state. */
export interface Optimizer {
  /** Applies one update with the given learning rate. Grads are keyed like `variables`. */
  apply(variables: tf.Variable[], grads: tf.Tensor[], lr: number): void;
  /** Optimizer state (moments, step count) by stable name, for checkpoints. */
  namedState(): Map<string, tf.Variable>;
  dispose(): void;
}
