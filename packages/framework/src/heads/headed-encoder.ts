import * as tf from '@tensorflow/tfjs';
import type { Encoder, EncoderOutput, Images, ProjectionHead } from '../contracts';

/**
 * An encoder followed by a projection head, as one Encoder: `global` is the head's output
 * [B, outputDim]; feature maps are the backbone's. For methods that must treat the pair as
 * one network, e.g. MoCo, whose momentum update covers the head too (arXiv:2003.04297).
 * Evaluation should read `backbone`, the representation before the head.
 *
 * Variables: the backbone's (`encoder/...`) and the head's (`head/...`).
 *
 * @example
 * const query = new HeadedEncoder(backbone, buildHead(ctx, backbone.embeddingDim));
 * const z = query.encode(x, { training: true }).global; // [B, head.outputDim]
 */
export class HeadedEncoder implements Encoder {
  constructor(readonly backbone: Encoder, readonly head: ProjectionHead) {
    if (head.inputDim !== backbone.embeddingDim) {
      throw new Error(`projection head expects ${head.inputDim} inputs, the encoder gives ${backbone.embeddingDim}`);
    }
  }

  get embeddingDim(): number {
    return this.head.outputDim;
  }

  get featureNames(): readonly string[] {
    return this.backbone.featureNames;
  }

  /** @param x [B, H, W, C] @returns global [B, outputDim] and the backbone's maps */
  encode(x: Images, options: { training: boolean; features?: readonly string[] }): EncoderOutput {
    return tf.tidy(() => {
      const out = this.backbone.encode(x, options);
      return { global: this.head.apply(out.global, options), features: out.features } as unknown as tf.TensorContainer;
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
