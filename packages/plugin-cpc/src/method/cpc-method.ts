import * as tf from '@tensorflow/tfjs';
import {
  combineVariables, type Batch, type ContrastiveLoss, type Encoder, type HasVariables, type Method, type Modality,
  type StepContext, type StepOutput,
} from '@contrastive/framework';
import type { GruContext } from '../context/gru-context';
import type { MaskedConvContext } from '../context/masked-conv-context';
import type { PatchGridEncoder } from '../encoding/patch-grid';
import type { CpcNegatives } from '../objective/cpc-logits';
import type { CpcPredictors } from '../objective/cpc-objective';

/** The representations CPC offers besides its encoder's `global` (pooled z). */
export const CPC_REPRESENTATIONS = ['context', 'context-last', 'context-grid'] as const;

/** Start (inclusive) and end (exclusive) of band i of n over `size` positions. */
function band(i: number, n: number, size: number): [number, number] {
  return [Math.floor((i * size) / n), Math.floor(((i + 1) * size) / n)];
}

/**
 * Adaptive average pooling of a grid [B, Gh, Gw, C] to at most `bands` x `bands` cells,
 * flattened: [B, min(bands, Gh) · min(bands, Gw) · C].
 */
export function coarseGrid(c: tf.Tensor4D, bands: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [b, gh, gw, d] = c.shape;
    const nr = Math.min(bands, gh);
    const nc = Math.min(bands, gw);
    const cells: tf.Tensor[] = [];
    for (let i = 0; i < nr; i++) {
      const [r0, r1] = band(i, nr, gh);
      for (let j = 0; j < nc; j++) {
        const [c0, c1] = band(j, nc, gw);
        cells.push(tf.mean(tf.slice(c, [0, r0, c0, 0], [b, r1 - r0, c1 - c0, d]), [1, 2]));
      }
    }
    return tf.concat(cells, 1) as tf.Tensor2D;
  });
}

/** The parts of a CPC model. */
export interface CpcParts {
  modality: Modality;
  /**
   * g_enc: for sequences an encoder of modality `sequence` whose last feature map is z per
   * step ([B, T', 1, D]); for images a {@link PatchGridEncoder}.
   */
  encoder: Encoder;
  /** g_ar over the code grid's rows. */
  context: GruContext | MaskedConvContext;
  predictors: CpcPredictors;
  loss: ContrastiveLoss;
  negatives: CpcNegatives;
}

/**
 * Contrastive Predictive Coding (van den Oord et al. 2018, arXiv:1807.03748; on image patch
 * grids as in Henaff et al. 2019, arXiv:1905.09272). Both modalities share one code path on
 * a grid z [B, Gh, Gw, D]: a sequence is a grid of T' rows and one column, an image the
 * grid of its patches. The context c at row i summarises rows <= i (GRU down each column,
 * or masked convolution), and predicts z at row i + k of the same column for k = 1..K;
 * each column is one "sequence" for the negatives.
 *
 * Representations for evaluation: `global` (the encoder's: z averaged over time or the
 * grid), `context` (c averaged over every position) and `context-last` (c of the last row,
 * averaged over columns: the summary of the whole sequence) and `context-grid` (c averaged
 * within a coarse grid of at most 3x3 bands of rows and columns, flattened to
 * [B, bands·bands·C]: keeps the layout that pooling an image's c to one vector loses).
 */
export class CpcMethod implements Method {
  readonly name = 'cpc';
  readonly representationNames: readonly string[] = CPC_REPRESENTATIONS;
  readonly encoder: Encoder;
  private readonly vars: HasVariables;

  constructor(private readonly parts: CpcParts) {
    this.encoder = parts.encoder;
    this.vars = combineVariables([parts.encoder, parts.context, parts.predictors]);
  }

  /** z [B, Gh, Gw, D]: per-step codes of sequences (Gw = 1), or patch codes of images. */
  codes(x: Batch, training: boolean): tf.Tensor4D {
    if (this.parts.modality === 'image') return (this.parts.encoder as PatchGridEncoder).codes(x as tf.Tensor4D, training);
    const last = this.parts.encoder.featureNames[this.parts.encoder.featureNames.length - 1];
    return this.parts.encoder.encode(x, { training, features: [last] }).features[last];
  }

  /** c [B, Gh, Gw, C] from z [B, Gh, Gw, D]; row i depends on rows <= i of z only. */
  contexts(z: tf.Tensor4D): tf.Tensor4D {
    const { context } = this.parts;
    if ('recurrent' in context) {
      return tf.tidy(() => {
        const [b, gh, gw, d] = z.shape;
        const columns = tf.reshape(tf.transpose(z, [0, 2, 1, 3]), [b * gw, gh, d]) as tf.Tensor3D;
        const c = context.apply(columns);
        return tf.transpose(tf.reshape(c, [b, gw, gh, context.hiddenDim]), [0, 2, 1, 3]) as tf.Tensor4D;
      });
    }
    return context.apply(z);
  }

  loss(x: Batch, _ctx: StepContext): StepOutput {
    const z = this.codes(x, true);
    const c = this.contexts(z);
    const asColumns = (g: tf.Tensor4D) => {
      const [b, gh, gw, d] = g.shape;
      return tf.reshape(tf.transpose(g, [0, 2, 1, 3]), [b * gw, gh, d]) as tf.Tensor3D;
    };
    const out = this.parts.predictors.objective(asColumns(c), asColumns(z), this.parts.negatives, this.parts.loss);
    const ks = Object.values(out.metrics);
    return { loss: out.loss, metrics: { ...out.metrics, positiveAccuracy: tf.mean(tf.stack(ks)) as tf.Scalar } };
  }

  /**
   * A representation in evaluation mode (see the class comment).
   * @param x [B, T, D] sequences or [B, H, W, C] images
   * @returns [B, C]
   */
  represent(x: Batch, name: string): tf.Tensor2D {
    return tf.tidy(() => {
      const c = this.contexts(this.codes(x, false));
      if (name === 'context') return tf.mean(c, [1, 2]) as tf.Tensor2D;
      if (name === 'context-last') {
        const [b, gh, gw, d] = c.shape;
        return tf.mean(tf.slice(c, [0, gh - 1, 0, 0], [b, 1, gw, d]), [1, 2]) as tf.Tensor2D;
      }
      if (name === 'context-grid') return coarseGrid(c, 3);
      throw new Error(`cpc has no representation "${name}"; known: global, ${CPC_REPRESENTATIONS.join(', ')}`);
    });
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
