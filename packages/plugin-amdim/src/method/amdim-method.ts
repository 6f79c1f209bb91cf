import * as tf from '@tensorflow/tfjs';
import {
  combineVariables, gridPool, type Encoder, type Estimator, type HasVariables, type Images, type Method, type PositiveSampler,
  type StepContext, type StepOutput,
} from '@contrastive/framework';
import { GLOBAL_SCALE, type MultiscaleEmbeddings } from './multiscale-embeddings';
import { multiscaleLoss, type Comparison, type ScoreStabilisers } from './multiscale-loss';

/** The parts an {@link AmdimMethod} is made of. */
export interface AmdimParts {
  encoder: Encoder;
  /** Two augmented views of each image. */
  positives: PositiveSampler;
  embeddings: MultiscaleEmbeddings;
  estimator: Estimator;
}

/** Options of {@link AmdimMethod}. */
export interface AmdimMethodOptions extends ScoreStabilisers {
  comparisons: Comparison[];
  /** The feature map of the `local-grid` evaluation representation. */
  representationScale: string;
  /** g of `local-grid`: the map average-pooled to g x g. */
  representationGrid: number;
}

/** The representation AMDIM adds for evaluation: a local feature map pooled to a grid. */
export const AMDIM_LOCAL_GRID = 'local-grid';

/**
 * Augmented Multiscale Deep InfoMax (Bachman, Hjelm & Buchwalter 2019, "Learning
 * Representations by Maximizing Mutual Information Across Views", arXiv:1906.00910). Two
 * augmented views of each image go through the encoder in one call ([2B, ...]); the features
 * of each scale (`global`, the encoder's vector, as a 1x1 map; or a named feature map) are
 * embedded into a common space, and for each comparison (from, to) every location of view 1's
 * `from` features must pick out view 2's `to` features of the same image among those of all
 * other images (and the reverse direction), with soft-clipped scores and a penalty on their
 * squares (see multiscaleLoss).
 */
export class AmdimMethod implements Method {
  readonly name = 'amdim';
  /** Evaluation may use `local-grid` besides `global` and the encoder's maps. */
  readonly representationNames = [AMDIM_LOCAL_GRID];
  readonly encoder: Encoder;
  private readonly vars: HasVariables;
  private readonly maps: string[];

  constructor(private readonly parts: AmdimParts, readonly options: AmdimMethodOptions) {
    this.encoder = parts.encoder;
    this.vars = combineVariables([parts.encoder, parts.embeddings]);
    const scales = new Set(options.comparisons.flatMap((c) => [c.from, c.to]));
    this.maps = [...scales].filter((s) => s !== GLOBAL_SCALE);
  }

  /** The embedded features of every compared scale for view 1 and view 2, [B, H, W, dim] each. */
  embedViews(anchor: Images, positive: Images): [Record<string, tf.Tensor4D>, Record<string, tf.Tensor4D>] {
    const batch = anchor.shape[0];
    const out = this.encoder.encode(tf.concat([anchor, positive], 0), { training: true, features: this.maps });
    const views: [Record<string, tf.Tensor4D>, Record<string, tf.Tensor4D>] = [{}, {}];
    const scales = new Set(this.options.comparisons.flatMap((c) => [c.from, c.to]));
    for (const scale of scales) {
      const map = scale === GLOBAL_SCALE ? tf.reshape(out.global, [2 * batch, 1, 1, out.global.shape[1]]) as tf.Tensor4D : out.features[scale];
      const [first, second] = tf.split(this.parts.embeddings.embed(scale, map), 2, 0) as tf.Tensor4D[];
      views[0][scale] = first;
      views[1][scale] = second;
    }
    return views;
  }

  loss(x: Images, ctx: StepContext): StepOutput {
    const { anchor, positive } = this.parts.positives.sample(x, ctx.rng);
    const views = this.embedViews(anchor, positive);
    const { loss, penalty, perComparison } = multiscaleLoss(views, this.options.comparisons, this.parts.estimator, this.options);
    const metrics: Record<string, tf.Scalar> = { scorePenalty: penalty };
    this.options.comparisons.forEach((c, i) => { metrics[`${c.from}-${c.to}`] = perComparison[i]; });
    return { loss, metrics };
  }

  /** `local-grid`: representationScale's map in evaluation mode, pooled to g x g: [B, g·g·C]. */
  represent(x: Images, name: string): tf.Tensor2D {
    if (name !== AMDIM_LOCAL_GRID) throw new Error(`amdim: no representation "${name}" (it offers ${AMDIM_LOCAL_GRID})`);
    const { representationScale: scale, representationGrid: grid } = this.options;
    return tf.tidy(() => gridPool(this.encoder.encode(x, { training: false, features: [scale] }).features[scale], grid));
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
