import * as tf from '@tensorflow/tfjs';
import {
  alignedPairs, combineVariables, gridPool, scoreAgainstLocations,
  type Encoder, type Estimator, type HasVariables, type Images, type Method, type PositiveSampler, type ScoredPairs,
  type ScoreFunction, type StepContext, type StepOutput,
} from '@contrastive/framework';
import type { PriorDiscriminator } from '../prior/prior-discriminator';

/** Options of {@link DimMethod} (see the `dim` definition for defaults). */
export interface DimMethodOptions {
  /** The encoder feature map DIM(L) compares the global vector with. */
  layer: string;
  /** α, weight of DIM(G): global vector against the global vector of the second view. */
  alpha: number;
  /** β, weight of DIM(L): global vector against every location of the feature map. */
  beta: number;
  /** γ, weight of prior matching (needs `DimParts.prior`). */
  gamma: number;
  /** g of the `local-grid` representation: the layer's map average-pooled to g x g. */
  representationGrid: number;
}

/** The representation DIM adds for evaluation: its local layer pooled to a grid. */
export const LOCAL_GRID_REPRESENTATION = 'local-grid';

/** The parts a {@link DimMethod} is made of. */
export interface DimParts {
  encoder: Encoder;
  /** Makes the views; DIM(L) uses the anchor view, DIM(G) both. */
  positives: PositiveSampler;
  /** T(global, location): [B, D] x [B·H·W, C] -> [B, B·H·W]. */
  localCritic: ScoreFunction;
  /** T(global, global of the other view): [B, D] x [B, D] -> [B, B]; null when α = 0. */
  globalCritic: ScoreFunction | null;
  estimator: Estimator;
  /** Prior matching's discriminator; null when γ = 0. */
  prior?: PriorDiscriminator | null;
}

/**
 * Deep InfoMax (Hjelm et al. 2018, "Learning deep representations by mutual information
 * estimation and maximization", arXiv:1808.06670). For a batch of B images with global
 * vectors y_i = E(x_i) [B, D] and the local feature map C(x_i) [B, H, W, C] of `layer`:
 *
 *   DIM(L) = estimator over T(y_i, C_j^(l)), positives j = i (all H·W locations l of the
 *            same image), negatives j ≠ i (every location of every other image);
 *   DIM(G) = estimator over T'(y_i, y'_j) with y' the global vectors of a second view,
 *            positives j = i, negatives j ≠ i;
 *   loss   = β · DIM(L) + α · DIM(G) + γ · prior matching (see {@link PriorDiscriminator}).
 *
 * With α > 0 both views go through the encoder in one call ([2B, ...]) and DIM(L) is the
 * mean over both views. With α = 0 only the anchor view is encoded.
 *
 * For evaluation it offers `local-grid` (see {@link DimMethod.represent}): DIM's local
 * features keep their layout, which global average pooling would discard.
 */
export class DimMethod implements Method {
  readonly name = 'dim';
  /** Evaluation may use `local-grid` besides `global` and the encoder's maps (see {@link DimMethod.represent}). */
  readonly representationNames = [LOCAL_GRID_REPRESENTATION];
  readonly encoder: Encoder;
  private readonly vars: HasVariables;

  constructor(private readonly parts: DimParts, readonly options: DimMethodOptions) {
    this.encoder = parts.encoder;
    this.vars = combineVariables([parts.encoder, parts.localCritic, parts.globalCritic ?? undefined, parts.prior ?? undefined]);
  }

  loss(x: Images, ctx: StepContext): StepOutput {
    const { alpha, beta, layer } = this.options;
    const { anchor, positive } = this.parts.positives.sample(x, ctx.rng);
    const twoViews = alpha > 0;
    const out = this.encoder.encode(twoViews ? tf.concat([anchor, positive], 0) : anchor, { training: true, features: [layer] });
    const views = twoViews ? 2 : 1;
    // (tf.split into one part has no usable gradient: it would concat an empty list.)
    const globals = twoViews ? tf.split(out.global, views, 0) as tf.Tensor2D[] : [out.global];
    const maps = twoViews ? tf.split(out.features[layer], views, 0) as tf.Tensor4D[] : [out.features[layer]];
    const metrics: Record<string, tf.Scalar> = {};
    let loss = tf.scalar(0);
    if (beta > 0) {
      const perView = globals.map((g, v) => this.localPairs(g, maps[v]));
      const local = tf.mean(tf.stack(perView.map((p) => this.parts.estimator.loss(p)))) as tf.Scalar;
      metrics.localLoss = local;
      metrics.localAccuracy = topScoreIsPositive(perView[0]);
      loss = tf.add(loss, tf.mul(local, beta));
    }
    if (twoViews && this.parts.globalCritic) {
      const pairs = alignedPairs(this.parts.globalCritic.score(globals[0], globals[1]));
      const global = this.parts.estimator.loss(pairs);
      metrics.globalLoss = global;
      metrics.globalAccuracy = topScoreIsPositive(pairs);
      loss = tf.add(loss, tf.mul(global, alpha));
    }
    if (this.options.gamma > 0 && this.parts.prior) {
      const prior = this.parts.prior.loss(globals[0], ctx.rng.seed());
      metrics.priorLoss = prior;
      loss = tf.add(loss, tf.mul(prior, this.options.gamma));
    }
    return { loss, metrics };
  }

  /** DIM(L)'s scored pairs for one view: globals [B, D] against every location of map [B, H, W, C]. */
  localPairs(globals: tf.Tensor2D, map: tf.Tensor4D): ScoredPairs {
    return scoreAgainstLocations(this.parts.localCritic, globals, map);
  }

  /** DIM(L) of one view: the estimator's loss over {@link DimMethod.localPairs}. */
  localLoss(globals: tf.Tensor2D, map: tf.Tensor4D): tf.Scalar {
    return tf.tidy(() => this.parts.estimator.loss(this.localPairs(globals, map)));
  }

  /**
   * `local-grid`: the DIM(L) layer's map in evaluation mode, average-pooled to a
   * representationGrid x representationGrid grid: [B, H, W, C] images -> [B, g·g·C].
   */
  represent(x: Images, name: string): tf.Tensor2D {
    if (name !== LOCAL_GRID_REPRESENTATION) throw new Error(`dim: no representation "${name}" (it offers ${LOCAL_GRID_REPRESENTATION})`);
    const { layer, representationGrid } = this.options;
    return tf.tidy(() => gridPool(this.encoder.encode(x, { training: false, features: [layer] }).features[layer], representationGrid));
  }

  trainableVariables(): tf.Variable[] {
    return this.vars.trainableVariables();
  }

  namedVariables(): Map<string, tf.Variable> {
    return this.vars.namedVariables();
  }

  dispose(): void {
    this.vars.dispose();
  }
}

/**
 * Fraction of rows whose highest score is one of their positives: a training metric in
 * [0, 1] (chance is |P(i)| / M). Not differentiable.
 */
export function topScoreIsPositive(pairs: ScoredPairs): tf.Scalar {
  return tf.tidy(() => {
    const [n, m] = pairs.scores.shape;
    const top = tf.oneHot(tf.argMax(pairs.scores, 1), m);
    return tf.div(tf.sum(tf.mul(tf.cast(top, 'float32'), pairs.positives)), n) as tf.Scalar;
  });
}
