import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../contracts';
import { BatchNorm } from '../nn/batch-norm';
import { Conv2d } from '../nn/conv2d';
import { Dense } from '../nn/dense';
import { globalAveragePool, relu } from '../nn/functional';
import type { VariableStore } from '../nn/variable-store';
import { defineComponent } from '../registry/component-definition';
import { BaseEncoder, EMBEDDING_DIM_SCHEMA, type EmitFeature, type InputShape } from './base-encoder';

/** Options of the `resnet-mini` encoder. */
export interface ResNetMiniEncoderOptions {
  /** Channels of the 3x3 stem convolution (default 32). */
  stemWidth: number;
  /** Channels of each stage (default [32, 64, 128]). */
  widths: number[];
  /** Basic blocks per stage (default 1). */
  blocksPerStage: number;
  /** Size of the representation (default 128). */
  embeddingDim: number;
}

/** Defaults of {@link ResNetMiniEncoderOptions}, the same as the schema's. */
export const RESNET_MINI_ENCODER_DEFAULTS: ResNetMiniEncoderOptions = {
  stemWidth: 32, widths: [32, 64, 128], blocksPerStage: 1, embeddingDim: 128,
};

/** conv3x3-BN-ReLU-conv3x3-BN plus shortcut, then ReLU (He et al. 2016, "basic block"). */
class BasicBlock {
  private readonly conv1: Conv2d;
  private readonly bn1: BatchNorm;
  private readonly conv2: Conv2d;
  private readonly bn2: BatchNorm;
  /** 1x1 convolution + BN when the stride or the width changes, else identity. */
  private readonly shortcut: { conv: Conv2d; bn: BatchNorm } | null = null;

  constructor(store: VariableStore, inChannels: number, outChannels: number, stride: number) {
    this.conv1 = new Conv2d(store, 'conv1', { inChannels, outChannels, stride, bias: false });
    this.bn1 = new BatchNorm(store, 'bn1', outChannels);
    this.conv2 = new Conv2d(store, 'conv2', { inChannels: outChannels, outChannels, bias: false });
    this.bn2 = new BatchNorm(store, 'bn2', outChannels);
    if (stride !== 1 || inChannels !== outChannels) {
      const s = store.child('shortcut');
      this.shortcut = {
        conv: new Conv2d(s, 'conv', { inChannels, outChannels, kernelSize: 1, stride, bias: false }),
        bn: new BatchNorm(s, 'bn', outChannels),
      };
    }
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const h = relu(this.bn1.apply(this.conv1.apply(x), training));
    const residual = this.bn2.apply(this.conv2.apply(h), training);
    const skip = this.shortcut ? this.shortcut.bn.apply(this.shortcut.conv.apply(x), training) : x;
    return relu(tf.add<tf.Tensor4D>(residual, skip));
  }
}

/**
 * A small ResNet for 28x28 and 32x32 images, after He, Zhang, Ren & Sun 2016, "Deep
 * Residual Learning for Image Recognition" (arXiv:1512.03385), CIFAR variant: a 3x3 stem
 * (conv without bias, BN, ReLU) at full resolution; then one stage per entry of `widths`,
 * each `blocksPerStage` basic blocks (two 3x3 conv+BN; identity shortcut, or a 1x1
 * conv+BN projection when the stride or width changes); stride 2 in the first block of
 * every stage after the first; global average pooling; linear projection to embeddingDim.
 *
 * Shapes for 28x28x1 with the defaults: stem [B,28,28,32] -> stage0 [B,28,28,32] ->
 * stage1 [B,14,14,64] -> stage2 [B,7,7,128] -> global [B,embeddingDim] (32x32: 32, 16, 8).
 * Feature maps: `stem`, `stage0`, `stage1`, ... (each stage's output, after its last ReLU).
 * Batch-norm uses batch statistics and updates its moving averages when `training`.
 * Variables: `encoder/stem/{conv,bn}/...`, `encoder/stage<s>/block<b>/{conv1,bn1,conv2,bn2}/...`,
 * `.../shortcut/{conv,bn}/...`, `encoder/proj/{kernel,bias}`; BN moving statistics are
 * non-trainable (`.../movingMean`, `.../movingVariance`).
 *
 * @example
 * ```yaml
 * encoder: { use: resnet-mini, widths: [32, 64, 128], blocksPerStage: 2, embeddingDim: 128 }
 * ```
 */
export class ResNetMiniEncoder extends BaseEncoder {
  readonly featureNames: readonly string[];
  private readonly stemConv: Conv2d;
  private readonly stemBn: BatchNorm;
  private readonly stages: BasicBlock[][] = [];
  private readonly proj: Dense;

  /**
   * @param inputShape [H, W, C] of the images
   * @param options missing fields take {@link RESNET_MINI_ENCODER_DEFAULTS}
   * @param rng seeds the weights
   */
  constructor(inputShape: InputShape, options: Partial<ResNetMiniEncoderOptions>, rng: Rng) {
    const { stemWidth, widths, blocksPerStage, embeddingDim } = { ...RESNET_MINI_ENCODER_DEFAULTS, ...options };
    super('resnet-mini', inputShape, embeddingDim, rng);
    if (widths.length === 0) throw new Error('resnet-mini encoder: widths must list at least one stage');
    if (!(Number.isInteger(blocksPerStage) && blocksPerStage >= 1)) {
      throw new Error(`resnet-mini encoder: blocksPerStage must be an integer >= 1, got ${blocksPerStage}`);
    }
    const stem = this.store.child('stem');
    this.stemConv = new Conv2d(stem, 'conv', { inChannels: inputShape[2], outChannels: stemWidth, bias: false });
    this.stemBn = new BatchNorm(stem, 'bn', stemWidth);
    let inChannels = stemWidth;
    widths.forEach((width, s) => {
      const stage = this.store.child(`stage${s}`);
      const blocks: BasicBlock[] = [];
      for (let b = 0; b < blocksPerStage; b++) {
        const stride = s > 0 && b === 0 ? 2 : 1;
        blocks.push(new BasicBlock(stage.child(`block${b}`), inChannels, width, stride));
        inChannels = width;
      }
      this.stages.push(blocks);
    });
    this.proj = new Dense(this.store, 'proj', inChannels, embeddingDim);
    this.featureNames = ['stem', ...widths.map((_, s) => `stage${s}`)];
  }

  protected forward(x: tf.Tensor4D, training: boolean, emit: EmitFeature): tf.Tensor2D {
    let h = relu(this.stemBn.apply(this.stemConv.apply(x), training));
    const stem = h;
    emit('stem', () => stem);
    this.stages.forEach((blocks, s) => {
      for (const block of blocks) h = block.apply(h, training);
      const out = h;
      emit(`stage${s}`, () => out);
    });
    return this.proj.apply(globalAveragePool(h));
  }
}

/** Registry entry of the `resnet-mini` encoder (kind `encoder`). */
export const resNetMiniEncoderDefinition = defineComponent<'encoder', ResNetMiniEncoderOptions>({
  kind: 'encoder',
  name: 'resnet-mini',
  description: 'Small ResNet with basic blocks and batch-norm for 28x28/32x32 images (arXiv:1512.03385).',
  schema: {
    type: 'object',
    properties: {
      stemWidth: { type: 'integer', minimum: 1, maximum: 1024, default: 32, description: 'Channels of the 3x3 stem.' },
      widths: {
        type: 'array',
        items: { type: 'integer', minimum: 1, maximum: 1024 },
        minItems: 1,
        maxItems: 6,
        default: RESNET_MINI_ENCODER_DEFAULTS.widths,
        description: 'Channels of each stage; every stage after the first halves the spatial size.',
      },
      blocksPerStage: { type: 'integer', minimum: 1, maximum: 8, default: 1, description: 'Basic blocks per stage.' },
      embeddingDim: EMBEDDING_DIM_SCHEMA,
    },
    additionalProperties: false,
  },
  create: (options, ctx) => new ResNetMiniEncoder(ctx.inputShape, options, ctx.rng.fork()),
});
