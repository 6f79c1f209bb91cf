import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../contracts';
import { Dense } from '../nn/dense';
import { defineComponent } from '../registry/component-definition';
import { BaseEncoder, EMBEDDING_DIM_SCHEMA, type EmitFeature, type InputShape } from './base-encoder';

/** Options of the `mlp` encoder. */
export interface MlpEncoderOptions {
  /** Units of each hidden layer, shallow to deep (default [256]). */
  hidden: number[];
  /** Size of the representation (default 128). */
  embeddingDim: number;
}

/** Defaults of {@link MlpEncoderOptions}, the same as the schema's. */
export const MLP_ENCODER_DEFAULTS: MlpEncoderOptions = { hidden: [256], embeddingDim: 128 };

/**
 * A multilayer perceptron on the flattened image: x [B, H, W, C] -> [B, H*W*C] ->
 * Dense(hidden[0]) -> ReLU -> ... -> Dense(embeddingDim) (linear).
 *
 * Feature maps `hidden0`, `hidden1`, ...: the post-ReLU activations of each hidden layer as
 * [B, 1, 1, units] maps (a 1x1 "image"), so methods that ask for local features still get a
 * 4-D tensor. Variables: `encoder/hidden<i>/{kernel,bias}`, `encoder/proj/{kernel,bias}`.
 *
 * @example
 * ```yaml
 * encoder: { use: mlp, hidden: [512, 256], embeddingDim: 64 }
 * ```
 */
export class MlpEncoder extends BaseEncoder {
  readonly featureNames: readonly string[];
  private readonly layers: Dense[] = [];
  private readonly proj: Dense;
  private readonly inputSize: number;

  /**
   * @param inputShape [H, W, C] of the images
   * @param options missing fields take {@link MLP_ENCODER_DEFAULTS}
   * @param rng seeds the weights
   */
  constructor(inputShape: InputShape, options: Partial<MlpEncoderOptions>, rng: Rng) {
    const { hidden, embeddingDim } = { ...MLP_ENCODER_DEFAULTS, ...options };
    super('mlp', inputShape, embeddingDim, rng);
    this.inputSize = inputShape[0] * inputShape[1] * inputShape[2];
    let units = this.inputSize;
    hidden.forEach((h, i) => {
      if (!(Number.isInteger(h) && h >= 1)) {
        throw new Error(`mlp encoder: hidden[${i}] must be an integer >= 1, got ${h}`);
      }
      this.layers.push(new Dense(this.store, `hidden${i}`, units, h));
      units = h;
    });
    this.proj = new Dense(this.store, 'proj', units, embeddingDim);
    this.featureNames = hidden.map((_, i) => `hidden${i}`);
  }

  protected override checkInput(x: tf.Tensor): void {
    super.checkInput(x);
    if (x.size / x.shape[0] !== this.inputSize) {
      throw new Error(
        `mlp encoder was built for [${this.inputShape.join(', ')}] images, got [${x.shape.join(', ')}]`,
      );
    }
  }

  protected forward(x: tf.Tensor4D, _training: boolean, emit: EmitFeature): tf.Tensor2D {
    const batch = x.shape[0];
    let h = tf.reshape(x, [batch, this.inputSize]) as tf.Tensor2D;
    this.layers.forEach((layer, i) => {
      const out = layer.apply(h, 'relu');
      emit(`hidden${i}`, () => tf.reshape(out, [batch, 1, 1, layer.units]));
      h = out;
    });
    return this.proj.apply(h);
  }
}

/** Registry entry of the `mlp` encoder (kind `encoder`). */
export const mlpEncoderDefinition = defineComponent<'encoder', MlpEncoderOptions>({
  kind: 'encoder',
  name: 'mlp',
  description: 'Multilayer perceptron on the flattened image, ReLU between layers.',
  schema: {
    type: 'object',
    properties: {
      hidden: {
        type: 'array',
        items: { type: 'integer', minimum: 1, maximum: 8192 },
        minItems: 0,
        maxItems: 8,
        default: MLP_ENCODER_DEFAULTS.hidden,
        description: 'Units of each hidden layer (ReLU after each); [] gives a linear encoder.',
      },
      embeddingDim: EMBEDDING_DIM_SCHEMA,
    },
    additionalProperties: false,
  },
  create: (options, ctx) => new MlpEncoder(ctx.inputShape, options, ctx.rng.fork()),
});
