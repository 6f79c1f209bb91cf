import * as tf from '@tensorflow/tfjs';
import type { Encoder, EncoderOutput, Images } from '@contrastive/framework';
import type { MocoProjectionHead } from './moco-projection-head';

/**
 * An encoder followed by a projection head, as one Encoder: `global` is the head's output
 * [B, outputDim]; feature maps are the backbone's. MoCo v2 wraps both its query and its key
 * encoder this way, so the momentum update covers the head too (arXiv:2003.04297).
 *
 * Variables: the backbone's (`encoder/...`) and the head's (`head/...`).
 */
export class ProjectedEncoder implements Encoder {
  constructor(readonly backbone: Encoder, readonly head: MocoProjectionHead) {
    if (head.options.inputDim !== backbone.embeddingDim) {
      throw new Error(`projection head expects ${head.options.inputDim} inputs, the encoder gives ${backbone.embeddingDim}`);
    }
  }

  get embeddingDim(): number {
    return this.head.options.outputDim;
  }

  get featureNames(): readonly string[] {
    return this.backbone.featureNames;
  }

  /** @param x [B, H, W, C] @returns global [B, outputDim] and the backbone's maps */
  encode(x: Images, options: { training: boolean; features?: readonly string[] }): EncoderOutput {
    return tf.tidy(() => {
      const out = this.backbone.encode(x, options);
      return { global: this.head.apply(out.global), features: out.features } as unknown as tf.TensorContainer;
    }) as unknown as EncoderOutput;
  }

  trainableVariables(): tf.Variable[] {
    return [...this.backbone.trainableVariables(), ...this.head.trainableVariables()];
  }

  namedVariables(): Map<string, tf.Variable> {
    return new Map([...this.backbone.namedVariables(), ...this.head.namedVariables()]);
  }

  dispose(): void {
    this.backbone.dispose();
    this.head.dispose();
  }
}
