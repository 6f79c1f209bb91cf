import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../contracts';
import { BatchNorm } from '../nn/batch-norm';
import { Conv2d } from '../nn/conv2d';
import { Dense } from '../nn/dense';
import { globalAveragePool, relu } from '../nn/functional';
import type { VariableStore } from '../nn/variable-store';
import { defineComponent } from '../registry/component-definition';
import { BaseEncoder, EMBEDDING_DIM_SCHEMA, type EmitFeature, type InputShape } from './base-encoder';

/** Options of the `convnet` encoder. */
export interface ConvNetEncoderOptions {
  /** Output channels of each stage; every stage ends in a 3x3 stride-2 convolution (default [32, 64, 128]). */
  channels: number[];
  /** Size of the representation (default 128); ignored when `projection` is false. */
  embeddingDim: number;
  /** Convolution, batch norm, ReLU (no conv bias) instead of convolution with bias and ReLU (default false). */
  batchNorm: boolean;
  /**
   * 3x3 stride-1 convolutions at full resolution before each stage's stride-2 one (default
   * 0): capacity where the image still has its detail, as in VGG-style CIFAR networks.
   */
  stride1Convs: number;
  /**
   * A linear layer from the pooled features to `embeddingDim` (default true). With false,
   * the representation is the pooled last feature map itself ([B, last channels]), and a
   * projection head (`head:` slot) does the projecting for the loss.
   */
  projection: boolean;
}

/** Defaults of {@link ConvNetEncoderOptions}, the same as the schema's. */
export const CONVNET_ENCODER_DEFAULTS: ConvNetEncoderOptions = {
  channels: [32, 64, 128], embeddingDim: 128, batchNorm: false, stride1Convs: 0, projection: true,
};

/** One 3x3 convolution followed by ReLU, with batch norm between them when asked. */
class ConvUnit {
  private readonly conv: Conv2d;
  private readonly bn: BatchNorm | null;

  constructor(store: VariableStore, name: string, inChannels: number, outChannels: number, stride: number, batchNorm: boolean) {
    this.conv = new Conv2d(store, name, { inChannels, outChannels, kernelSize: 3, stride, bias: !batchNorm });
    this.bn = batchNorm ? new BatchNorm(store, `${name}_bn`, outChannels) : null;
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    if (!this.bn) return this.conv.apply(x, 'relu');
    return relu(this.bn.apply(this.conv.apply(x), training));
  }
}

/**
 * A plain convolutional encoder. Per entry of `channels` (a stage): `stride1Convs` 3x3
 * stride-1 convolutions, then a 3x3 stride-2 convolution, all 'same' padding, each followed
 * by ReLU (with `batchNorm`: convolution without bias, batch norm, ReLU); then global
 * average pooling and, unless `projection` is false, a linear layer to `embeddingDim`.
 *
 * Shapes for 28x28x1 with the defaults: [B,28,28,1] -> conv0 [B,14,14,32] ->
 * conv1 [B,7,7,64] -> conv2 [B,4,4,128] -> pool [B,128] -> global [B,embeddingDim]
 * (32x32 inputs: 16, 8, 4). Feature maps `conv0`, `conv1`, ... are the stages' post-ReLU
 * outputs. Variables: `encoder/conv<i>/{kernel,bias}`, `encoder/proj/{kernel,bias}`; with
 * `stride1Convs`, `encoder/conv<i>_<j>/kernel` before each stage's `conv<i>`; with
 * `batchNorm`, `encoder/<conv>_bn/{gamma,beta,movingMean,movingVariance}` and no conv bias.
 *
 * The defaults are the original small encoder (every existing config keeps its meaning);
 * the quality recipes use `batchNorm: true, stride1Convs: 1, projection: false` with a
 * projection head, the arrangement SimCLR evaluates (arXiv:2002.05709, section 4.2).
 *
 * @example
 * ```yaml
 * encoder: { use: convnet, channels: [64, 128, 256], batchNorm: true, stride1Convs: 1, projection: false }
 * ```
 */
export class ConvNetEncoder extends BaseEncoder {
  readonly featureNames: readonly string[];
  private readonly stages: ConvUnit[][] = [];
  private readonly proj: Dense | null;

  /**
   * @param inputShape [H, W, C] of the images
   * @param options missing fields take {@link CONVNET_ENCODER_DEFAULTS}
   * @param rng seeds the weights
   */
  constructor(inputShape: InputShape, options: Partial<ConvNetEncoderOptions>, rng: Rng) {
    const o = { ...CONVNET_ENCODER_DEFAULTS, ...options };
    const last = o.channels[o.channels.length - 1];
    super('convnet', inputShape, o.projection ? o.embeddingDim : last ?? 1, rng);
    if (o.channels.length === 0) throw new Error('convnet encoder: channels must list at least one layer');
    let inChannels = inputShape[2];
    o.channels.forEach((outChannels, i) => {
      const stage: ConvUnit[] = [];
      for (let j = 0; j < o.stride1Convs; j++) {
        stage.push(new ConvUnit(this.store, `conv${i}_${j}`, inChannels, outChannels, 1, o.batchNorm));
        inChannels = outChannels;
      }
      stage.push(new ConvUnit(this.store, `conv${i}`, inChannels, outChannels, 2, o.batchNorm));
      inChannels = outChannels;
      this.stages.push(stage);
    });
    this.proj = o.projection ? new Dense(this.store, 'proj', inChannels, o.embeddingDim) : null;
    this.featureNames = o.channels.map((_, i) => `conv${i}`);
  }

  protected forward(x: tf.Tensor4D, training: boolean, emit: EmitFeature): tf.Tensor2D {
    let h = x;
    this.stages.forEach((stage, i) => {
      for (const unit of stage) h = unit.apply(h, training);
      const out = h;
      emit(`conv${i}`, () => out);
    });
    const pooled = globalAveragePool(h);
    return this.proj ? this.proj.apply(pooled) : pooled;
  }
}

/** Registry entry of the `convnet` encoder (kind `encoder`). */
export const convNetEncoderDefinition = defineComponent<'encoder', ConvNetEncoderOptions>({
  kind: 'encoder',
  name: 'convnet',
  description: 'Stages of 3x3 convolutions ending in stride 2, ReLU (optionally batch norm), global average pooling, optional linear projection.',
  schema: {
    type: 'object',
    properties: {
      channels: {
        type: 'array',
        items: { type: 'integer', minimum: 1, maximum: 2048 },
        minItems: 1,
        maxItems: 8,
        default: CONVNET_ENCODER_DEFAULTS.channels,
        description: 'Output channels of each stage (each halves the spatial size).',
      },
      embeddingDim: EMBEDDING_DIM_SCHEMA,
      batchNorm: {
        type: 'boolean', default: CONVNET_ENCODER_DEFAULTS.batchNorm,
        description: 'Convolution without bias, batch norm, ReLU (evaluation uses the running statistics).',
      },
      stride1Convs: {
        type: 'integer', minimum: 0, maximum: 4, default: CONVNET_ENCODER_DEFAULTS.stride1Convs,
        description: '3x3 stride-1 convolutions at full resolution before each stage\'s stride-2 convolution.',
      },
      projection: {
        type: 'boolean', default: CONVNET_ENCODER_DEFAULTS.projection,
        description: 'Linear layer to embeddingDim after pooling; false: the representation is the pooled last stage (use a head: for the loss).',
      },
    },
    additionalProperties: false,
  },
  create: (options, ctx) => new ConvNetEncoder(ctx.inputShape, options, ctx.rng.fork()),
});
