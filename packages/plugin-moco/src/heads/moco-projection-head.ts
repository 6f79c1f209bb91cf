import type * as tf from '@tensorflow/tfjs';
import { Dense, VariableOwner, VariableStore, type HasVariables, type Rng } from '@contrastive/framework';

/** Sizes of a {@link MocoProjectionHead}. */
export interface MocoProjectionHeadOptions {
  /** Input size: the encoder's embeddingDim. */
  inputDim: number;
  /** Units of the hidden layer (MoCo v2 on ResNet-50: 2048). */
  hiddenDim: number;
  /** Output size, the size of q and k (MoCo: 128). */
  outputDim: number;
}

/**
 * The MLP projection head of MoCo v2 (Chen et al. 2020, "Improved Baselines with Momentum
 * Contrastive Learning", arXiv:2003.04297, after SimCLR arXiv:2002.05709): Dense -> ReLU ->
 * Dense, between the encoder's representation and the contrastive loss. The representation
 * that is evaluated is the one before the head.
 *
 * Shapes: [B, inputDim] -> [B, hiddenDim] -> [B, outputDim].
 * Variables: `head/hidden/{kernel,bias}`, `head/out/{kernel,bias}`.
 *
 * @example
 * const head = new MocoProjectionHead({ inputDim: 128, hiddenDim: 512, outputDim: 128 }, rng);
 * const z = head.apply(h); // [B, 128] -> [B, 128]
 */
export class MocoProjectionHead extends VariableOwner implements HasVariables {
  private readonly hidden: Dense;
  private readonly out: Dense;

  constructor(readonly options: MocoProjectionHeadOptions, rng: Rng, prefix = 'head') {
    super(new VariableStore(prefix, rng));
    this.hidden = new Dense(this.store, 'hidden', options.inputDim, options.hiddenDim);
    this.out = new Dense(this.store, 'out', options.hiddenDim, options.outputDim);
  }

  /** @param h [B, inputDim] @returns [B, outputDim] */
  apply(h: tf.Tensor2D): tf.Tensor2D {
    return this.out.apply(this.hidden.apply(h, 'relu'));
  }
}
