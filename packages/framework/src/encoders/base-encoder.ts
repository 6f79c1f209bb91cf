import * as tf from '@tensorflow/tfjs';
import type { Encoder, EncoderOutput, Images, Rng } from '../contracts';
import { VariableOwner } from '../nn/variable-owner';
import { VariableStore } from '../nn/variable-store';
import { UserInputError } from '../registry/errors';

/** [height, width, channels] of the images an encoder is built for. */
export type InputShape = readonly [number, number, number];

/** JSON Schema of the `embeddingDim` option every built-in encoder has. */
export const EMBEDDING_DIM_SCHEMA = {
  type: 'integer',
  minimum: 1,
  maximum: 4096,
  default: 128,
  description: 'Size of the representation `global` [B, embeddingDim].',
} as const;

/**
 * Registers a feature map during a forward pass. `make` is only called when the map was
 * asked for, so maps that need extra ops (a reshape) cost nothing otherwise.
 */
export type EmitFeature = (name: string, make: () => tf.Tensor4D) => void;

/**
 * Shared plumbing of the built-in encoders: a {@link VariableStore} with prefix `encoder`,
 * argument checks with clear messages, and a `tf.tidy` around the forward pass so only the
 * outputs survive. Subclasses implement {@link BaseEncoder.forward}.
 */
export abstract class BaseEncoder extends VariableOwner implements Encoder {
  abstract readonly featureNames: readonly string[];

  /**
   * @param name the component name, used in error messages
   * @param inputShape [H, W, C] of the images
   * @param embeddingDim size of the representation
   * @param rng seeds the initialisers (pass a fork)
   */
  protected constructor(
    readonly name: string,
    readonly inputShape: InputShape,
    readonly embeddingDim: number,
    rng: Rng,
  ) {
    // Owns every variable; names are `encoder/...`.
    super(new VariableStore('encoder', rng));
    if (inputShape.length !== 3 || !inputShape.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new Error(`${name} encoder: inputShape must be [height, width, channels], got [${inputShape.join(', ')}]`);
    }
    if (!(Number.isInteger(embeddingDim) && embeddingDim >= 1)) {
      throw new Error(`${name} encoder: embeddingDim must be an integer >= 1, got ${embeddingDim}`);
    }
  }

  /** @see Encoder.encode */
  encode(x: Images, options: { training: boolean; features?: readonly string[] }): EncoderOutput {
    this.checkInput(x);
    const wanted = new Set(options.features ?? []);
    for (const f of wanted) {
      if (!this.featureNames.includes(f)) {
        throw new UserInputError(
          `${this.name} encoder has no feature map "${f}"; ` +
            `known feature maps: ${this.featureNames.join(', ') || '(none)'}`,
        );
      }
    }
    return tf.tidy(() => {
      const features: Record<string, tf.Tensor4D> = {};
      const emit: EmitFeature = (name, make) => {
        if (wanted.has(name)) features[name] = make();
      };
      const global = this.forward(x, options.training, emit);
      return { global, features } as unknown as tf.TensorContainer;
    }) as unknown as EncoderOutput;
  }

  /**
   * The forward pass, run inside `tf.tidy`.
   * @param x [B, H, W, C], already checked
   * @param emit call once per name in `featureNames` with the map
   * @returns [B, embeddingDim]
   */
  protected abstract forward(x: tf.Tensor4D, training: boolean, emit: EmitFeature): tf.Tensor2D;

  /** Throws unless `x` is [B, H, W, C] with the channels this encoder was built for. */
  protected checkInput(x: tf.Tensor): void {
    const c = this.inputShape[2];
    if (x.rank !== 4 || x.shape[3] !== c) {
      throw new Error(
        `${this.name} encoder expects images [B, H, W, ${c}] (built for [${this.inputShape.join(', ')}]), ` +
          `got [${x.shape.join(', ')}]`,
      );
    }
  }
}
