import * as tf from '@tensorflow/tfjs';
import { defineComponent, UserInputError, type BuildContext, type Encoder, type HasVariables } from '@contrastive/framework';
import { GruContext } from '../context/gru-context';
import { MaskedConvContext } from '../context/masked-conv-context';
import { gridShape, PatchGridEncoder } from '../encoding/patch-grid';
import { CPC_NEGATIVES, type CpcNegatives } from '../objective/cpc-logits';
import { CpcPredictors } from '../objective/cpc-objective';
import { CpcMethod } from './cpc-method';

/** Options of `method: { use: cpc, ... }`. */
export interface CpcOptions {
  /** K: offsets k = 1..K are predicted, each with its own W_k. */
  predictionSteps: number;
  /** Which z's are the negatives; see {@link CpcNegatives}. */
  negatives: CpcNegatives;
  /** g_ar: `gru` or `masked-conv`; `auto` = gru for sequences, masked-conv for images. */
  contextNetwork: 'auto' | 'gru' | 'masked-conv';
  /** Size of c_t (GRU units, or channels of each masked-conv layer). */
  contextDim: number;
  /** Layers of the masked-conv context network. */
  contextLayers: number;
  /** Images: patch side in pixels. */
  patchSize: number;
  /** Images: step between patches. */
  patchStride: number;
}

/** The default of every CPC option, and where it comes from. */
export const CPC_DEFAULTS: CpcOptions = {
  predictionSteps: 4, // arXiv:1807.03748 audio: 12 steps of 10 ms; 4 suits sequences of ~16 encoded steps
  negatives: 'all', // arXiv:1807.03748: negatives from the minibatch (other positions and sequences)
  contextNetwork: 'auto', // GRU for audio (1807.03748), masked convolution for images (1905.09272)
  contextDim: 128, // 1807.03748: 256 GRU units
  contextLayers: 2,
  patchSize: 8, // 1905.09272: 64 of 256 pixels with stride 32 (half overlap), scaled to 28x28
  patchStride: 4,
};

const schema = {
  type: 'object',
  properties: {
    predictionSteps: { type: 'integer', minimum: 1, maximum: 64, default: CPC_DEFAULTS.predictionSteps, description: 'K: predict z_{t+k} for k = 1..K; must be smaller than the encoded sequence length (or patch-grid rows).' },
    negatives: { enum: CPC_NEGATIVES, default: CPC_DEFAULTS.negatives, description: 'all: every z_{s+k} of the batch; positions: other positions of the same sequence; sequences: other sequences at the same position.' },
    contextNetwork: { enum: ['auto', 'gru', 'masked-conv'], default: CPC_DEFAULTS.contextNetwork, description: 'g_ar; auto = gru for sequences, masked-conv for images.' },
    contextDim: { type: 'integer', minimum: 1, maximum: 4096, default: CPC_DEFAULTS.contextDim, description: 'Size of the context c_t.' },
    contextLayers: { type: 'integer', minimum: 1, maximum: 16, default: CPC_DEFAULTS.contextLayers, description: 'Layers of the masked-conv context network (3x3, causal in rows).' },
    patchSize: { type: 'integer', minimum: 1, maximum: 4096, default: CPC_DEFAULTS.patchSize, description: 'Images: patch side in pixels.' },
    patchStride: { type: 'integer', minimum: 1, maximum: 4096, default: CPC_DEFAULTS.patchStride, description: 'Images: step between patches (patchSize/2: half overlap).' },
  },
  additionalProperties: false,
};

/** Rows of the code grid for sequences: T' after the encoder's striding, measured once on zeros. */
function encodedSteps(encoder: Encoder, ctx: BuildContext): number {
  return tf.tidy(() => {
    const last = encoder.featureNames[encoder.featureNames.length - 1];
    if (!last) throw new UserInputError(`encoder: CPC on sequences needs an encoder with per-step feature maps (e.g. conv1d); this one has none`);
    const probe = tf.zeros([1, ctx.inputShape[0], ctx.inputShape[1]]) as tf.Tensor3D;
    return encoder.encode(probe, { training: false, features: [last] }).features[last].shape[1];
  });
}

/** g_enc for the run's modality, and the rows the context network will see. */
function buildEncoder(options: CpcOptions, ctx: BuildContext): { encoder: Encoder; rows: number } {
  if (ctx.modality === 'sequence') {
    const encoder = ctx.build('encoder', ctx.slots.encoder);
    try {
      return { encoder, rows: encodedSteps(encoder, ctx) };
    } catch (err) {
      encoder.dispose();
      throw err;
    }
  }
  const [h, w, c] = ctx.inputShape;
  if (options.patchSize > h || options.patchSize > w) {
    throw new UserInputError(`method.patchSize: ${options.patchSize} is larger than the ${h}x${w} images`);
  }
  const grid = { size: options.patchSize, stride: options.patchStride };
  const inputShape = [options.patchSize, options.patchSize, c] as const;
  const patchCtx = ctx.derive ? ctx.derive({ inputShape }) : { ...ctx, inputShape };
  const patchEncoder = patchCtx.build('encoder', ctx.slots.encoder);
  return { encoder: new PatchGridEncoder(patchEncoder, grid), rows: gridShape(h, w, grid)[0] };
}

/**
 * Registry entry of CPC (kind `method`, `method: { use: cpc }`, modalities image and
 * sequence). Slots used: `encoder` (g_enc; default `conv1d` for sequences, give an image
 * encoder such as `convnet` for images) and `loss` (the cross-entropy over each offset's
 * candidates; default `infonce`). `positives`, `negatives` and `score` are not used: CPC's
 * positives are future codes, its negatives are chosen by `method.negatives`, its score is
 * its own W_k. `augment` must stay empty and `head` `none` (framework API 1.1's head slot).
 */
export const cpcMethodDefinition = defineComponent<'method', CpcOptions>({
  kind: 'method',
  name: 'cpc',
  description: 'Contrastive Predictive Coding: g_enc, autoregressive g_ar, one W_k per offset, InfoNCE (arXiv:1807.03748, arXiv:1905.09272).',
  modalities: ['sequence', 'image'],
  schema,
  defaults: {
    encoder: { use: 'conv1d' },
    positives: { use: 'two-views' },
    negatives: { use: 'in-batch' },
    score: { use: 'dot' },
    loss: { use: 'infonce' },
    augment: [],
  },
  create: (options, ctx) => {
    if (ctx.slots.augment.length > 0) {
      throw new UserInputError(`augment: CPC does not augment its inputs (its positives are future steps); remove the ${ctx.slots.augment.length} augmentation(s)`);
    }
    const head = (ctx.slots as { head?: { use: string } }).head;
    if (head && head.use !== 'none') {
      throw new UserInputError(`head: CPC scores its codes with its own W_k and has no use for a projection head; remove head (or use: none)`);
    }
    const { encoder, rows } = buildEncoder(options, ctx);
    const built: Array<Partial<HasVariables>> = [encoder];
    try {
      const what = ctx.modality === 'sequence' ? `the encoded sequence length (${rows} steps)` : `the rows of the patch grid (${rows})`;
      if (options.predictionSteps >= rows) {
        throw new UserInputError(`method.predictionSteps: K = ${options.predictionSteps} must be smaller than ${what}`);
      }
      const kind = options.contextNetwork === 'auto' ? (ctx.modality === 'sequence' ? 'gru' : 'masked-conv') : options.contextNetwork;
      const context = kind === 'gru'
        ? new GruContext(encoder.embeddingDim, options.contextDim, ctx.rng.fork())
        : new MaskedConvContext(encoder.embeddingDim, { channels: new Array(options.contextLayers).fill(options.contextDim), kernelSize: 3 }, ctx.rng.fork());
      built.push(context);
      const predictors = new CpcPredictors(options.contextDim, encoder.embeddingDim, options.predictionSteps, ctx.rng.fork());
      built.push(predictors);
      return new CpcMethod({
        modality: ctx.modality ?? 'image', encoder, context, predictors, loss: ctx.build('loss', ctx.slots.loss), negatives: options.negatives,
      });
    } catch (err) {
      built.forEach((part) => part.dispose?.());
      throw err;
    }
  },
});
