import * as tf from '@tensorflow/tfjs';
import type { Batch, Encoder, EncoderOutput, Rng } from '../contracts';
import { relu } from '../nn/functional';
import { VariableOwner } from '../nn/variable-owner';
import { VariableStore } from '../nn/variable-store';
import { defineComponent } from '../registry/component-definition';
import { UserInputError } from '../registry/errors';
import { EMBEDDING_DIM_SCHEMA } from './base-encoder';

/** Options of the `conv1d` encoder. */
export interface Conv1dEncoderOptions {
  /** Output channels of each strided convolution (ReLU after each), shallow to deep. */
  channels: number[];
  /** Kernel length of each convolution (one per layer). */
  kernelSizes: number[];
  /** Stride of each convolution (one per layer); the product is the downsampling T -> T'. */
  strides: number[];
  /** Size of z_t and of the representation. */
  embeddingDim: number;
}

/** Defaults of {@link Conv1dEncoderOptions}, the same as the schema's. */
export const CONV1D_ENCODER_DEFAULTS: Conv1dEncoderOptions = { channels: [64, 64], kernelSizes: [4, 4], strides: [2, 2], embeddingDim: 128 };

/**
 * A sequence encoder (modality `sequence`): strided 1-D convolutions with ReLU, then a
 * linear 1x1 convolution to `embeddingDim`, as CPC's g_enc (arXiv:1807.03748, section 3:
 * five strided convolutions on raw audio; two by default here for short sequences).
 * x [B, T, D] -> z [B, T', embeddingDim] with T' = ceil(T / prod(strides)) ('same' padding).
 *
 * Outputs: `global` is z averaged over time [B, embeddingDim]; feature maps `conv<i>` (after
 * each ReLU) and `steps` (z itself) are [B, T', 1, C] (time as height). `steps` is the last
 * feature name: a method that needs z_t per step (CPC) asks for it.
 * Variables: `encoder/conv<i>/{kernel,bias}`, `encoder/steps/{kernel,bias}`.
 *
 * @example
 * ```yaml
 * encoder: { use: conv1d, channels: [64, 64], kernelSizes: [4, 4], strides: [2, 2], embeddingDim: 64 }
 * ```
 */
export class Conv1dEncoder extends VariableOwner implements Encoder {
  readonly modality = 'sequence' as const;
  readonly featureNames: readonly string[];
  readonly embeddingDim: number;
  private readonly kernels: tf.Variable[] = [];
  private readonly biases: tf.Variable[] = [];
  private readonly strides: number[];

  /**
   * @param inputShape [T, D, 1] (a BuildContext's inputShape for sequence data)
   * @param rng seeds the weights
   */
  constructor(readonly inputShape: readonly [number, number, number], options: Partial<Conv1dEncoderOptions>, rng: Rng) {
    super(new VariableStore('encoder', rng));
    const o = { ...CONV1D_ENCODER_DEFAULTS, ...options };
    if (o.kernelSizes.length !== o.channels.length || o.strides.length !== o.channels.length) {
      throw new UserInputError(`encoder: conv1d needs one kernel size and one stride per layer; got ${o.channels.length} channels, ${o.kernelSizes.length} kernelSizes, ${o.strides.length} strides`);
    }
    this.embeddingDim = o.embeddingDim;
    this.strides = [...o.strides, 1];
    let inC = inputShape[1];
    const layers = [...o.channels.map((c, i) => ({ name: `conv${i}`, out: c, k: o.kernelSizes[i] })), { name: 'steps', out: o.embeddingDim, k: 1 }];
    for (const { name, out, k } of layers) {
      const s = this.store.child(name);
      this.kernels.push(s.heNormal('kernel', [k, inC, out], k * inC));
      this.biases.push(s.constant('bias', [out], 0));
      inC = out;
    }
    this.featureNames = layers.map((l) => l.name);
  }

  /**
   * @param x [B, T, D] sequences
   * @returns global [B, embeddingDim]; the feature maps asked for, [B, T', 1, C]
   */
  encode(x: Batch, options: { training: boolean; features?: readonly string[] }): EncoderOutput {
    if (x.rank !== 3 || x.shape[2] !== this.inputShape[1]) {
      throw new Error(`conv1d encoder expects sequences [B, T, ${this.inputShape[1]}], got [${x.shape.join(', ')}]`);
    }
    const wanted = new Set(options.features ?? []);
    for (const f of wanted) {
      if (!this.featureNames.includes(f)) throw new UserInputError(`conv1d encoder has no feature map "${f}"; known feature maps: ${this.featureNames.join(', ')}`);
    }
    return tf.tidy(() => {
      const features: Record<string, tf.Tensor4D> = {};
      let h = x as tf.Tensor3D;
      this.kernels.forEach((kernel, i) => {
        const y = tf.add(tf.conv1d(h, kernel as tf.Tensor3D, this.strides[i], 'same'), this.biases[i]) as tf.Tensor3D;
        h = i < this.kernels.length - 1 ? relu(y) : y;
        const name = this.featureNames[i];
        if (wanted.has(name)) features[name] = tf.expandDims(h, 2) as tf.Tensor4D;
      });
      const global = tf.mean(h, 1) as tf.Tensor2D;
      return { global, features } as unknown as tf.TensorContainer;
    }) as unknown as EncoderOutput;
  }
}

const intList = (def: number[], description: string) => ({
  type: 'array', items: { type: 'integer', minimum: 1, maximum: 4096 }, minItems: 1, maxItems: 12, default: def, description,
});

/** Registry entry of the `conv1d` encoder (kind `encoder`, modality `sequence`). */
export const conv1dEncoderDefinition = defineComponent<'encoder', Conv1dEncoderOptions>({
  kind: 'encoder',
  name: 'conv1d',
  description: 'Sequence encoder [B, T, D] -> z [B, T\', E]: strided 1-D convolutions with ReLU, then a linear per-step projection (CPC g_enc).',
  modalities: ['sequence'],
  schema: {
    type: 'object',
    properties: {
      channels: intList(CONV1D_ENCODER_DEFAULTS.channels, 'Output channels of each strided convolution.'),
      kernelSizes: intList(CONV1D_ENCODER_DEFAULTS.kernelSizes, 'Kernel length of each convolution.'),
      strides: intList(CONV1D_ENCODER_DEFAULTS.strides, 'Stride of each convolution (T\' = T / product).'),
      embeddingDim: { ...EMBEDDING_DIM_SCHEMA, default: CONV1D_ENCODER_DEFAULTS.embeddingDim, description: 'Size of z_t and of `global` (z averaged over time).' },
    },
    additionalProperties: false,
  },
  create: (options, ctx) => {
    if (ctx.modality !== 'sequence') throw new UserInputError('encoder: conv1d encodes sequences [B, T, D]; the data are images');
    return new Conv1dEncoder(ctx.inputShape, options, ctx.rng.fork());
  },
});
