import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../contracts';
import { Conv2d } from '../nn/conv2d';
import { Dense } from '../nn/dense';
import { globalAveragePool } from '../nn/functional';
import { defineComponent } from '../registry/component-definition';
import { BaseEncoder, EMBEDDING_DIM_SCHEMA, type EmitFeature, type InputShape } from './base-encoder';

/** Options of the `convnet` encoder. */
export interface ConvNetEncoderOptions {
  /** Output channels of each 3x3 stride-2 convolution (default [32, 64, 128]). */
  channels: number[];
  /** Size of the representation (default 128). */
  embeddingDim: number;
}

/** Defaults of {@link ConvNetEncoderOptions}, the same as the schema's. */
export const CONVNET_ENCODER_DEFAULTS: ConvNetEncoderOptions = { channels: [32, 64, 128], embeddingDim: 128 };

/**
 * A plain convolutional encoder: per entry of `channels`, a 3x3 convolution with stride 2,
 * 'same' padding, bias and ReLU; then global average pooling and a linear projection.
 *
 * Shapes for 28x28x1 with the defaults: [B,28,28,1] -> conv0 [B,14,14,32] ->
 * conv1 [B,7,7,64] -> conv2 [B,4,4,128] -> pool [B,128] -> global [B,embeddingDim]
 * (32x32 inputs: 16, 8, 4). Feature maps `conv0`, `conv1`, ... are the post-ReLU outputs.
 * Variables: `encoder/conv<i>/{kernel,bias}`, `encoder/proj/{kernel,bias}`.
 *
 * @example
 * ```yaml
 * encoder: { use: convnet, channels: [32, 64], embeddingDim: 64 }
 * ```
 */
export class ConvNetEncoder extends BaseEncoder {
  readonly featureNames: readonly string[];
  private readonly convs: Conv2d[] = [];
  private readonly proj: Dense;

  /**
   * @param inputShape [H, W, C] of the images
   * @param options missing fields take {@link CONVNET_ENCODER_DEFAULTS}
   * @param rng seeds the weights
   */
  constructor(inputShape: InputShape, options: Partial<ConvNetEncoderOptions>, rng: Rng) {
    const { channels, embeddingDim } = { ...CONVNET_ENCODER_DEFAULTS, ...options };
    super('convnet', inputShape, embeddingDim, rng);
    if (channels.length === 0) throw new Error('convnet encoder: channels must list at least one layer');
    let inChannels = inputShape[2];
    channels.forEach((outChannels, i) => {
      this.convs.push(new Conv2d(this.store, `conv${i}`, { inChannels, outChannels, kernelSize: 3, stride: 2 }));
      inChannels = outChannels;
    });
    this.proj = new Dense(this.store, 'proj', inChannels, embeddingDim);
    this.featureNames = channels.map((_, i) => `conv${i}`);
  }

  protected forward(x: tf.Tensor4D, _training: boolean, emit: EmitFeature): tf.Tensor2D {
    let h = x;
    this.convs.forEach((conv, i) => {
      const out = conv.apply(h, 'relu');
      emit(`conv${i}`, () => out);
      h = out;
    });
    return this.proj.apply(globalAveragePool(h));
  }
}

/** Registry entry of the `convnet` encoder (kind `encoder`). */
export const convNetEncoderDefinition = defineComponent<'encoder', ConvNetEncoderOptions>({
  kind: 'encoder',
  name: 'convnet',
  description: 'Stack of 3x3 stride-2 convolutions with ReLU, global average pooling, linear projection.',
  schema: {
    type: 'object',
    properties: {
      channels: {
        type: 'array',
        items: { type: 'integer', minimum: 1, maximum: 2048 },
        minItems: 1,
        maxItems: 8,
        default: CONVNET_ENCODER_DEFAULTS.channels,
        description: 'Output channels of each convolution (each halves the spatial size).',
      },
      embeddingDim: EMBEDDING_DIM_SCHEMA,
    },
    additionalProperties: false,
  },
  create: (options, ctx) => new ConvNetEncoder(ctx.inputShape, options, ctx.rng.fork()),
});
