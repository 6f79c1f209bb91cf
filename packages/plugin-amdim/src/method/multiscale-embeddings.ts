import * as tf from '@tensorflow/tfjs';
import { ResidualProjection, VariableOwner, VariableStore, type Rng } from '@contrastive/framework';

/** The name of the encoder's global vector as a scale (a 1x1 map). */
export const GLOBAL_SCALE = 'global';

/**
 * One embedding per scale into a common space of `dim` dimensions: AMDIM's per-scale 1x1
 * ("network in network") blocks (Bachman et al. 2019, arXiv:1906.00910), here the framework's
 * ResidualProjection applied to every location. Variables `amdim/embed/<scale>/...`.
 */
export class MultiscaleEmbeddings extends VariableOwner {
  private readonly heads = new Map<string, ResidualProjection>();

  /** @param channels input channels of each scale (the global vector: embeddingDim) */
  constructor(channels: Record<string, number>, readonly dim: number, rng: Rng) {
    super(new VariableStore('amdim/embed', rng));
    for (const [scale, c] of Object.entries(channels)) this.heads.set(scale, new ResidualProjection(this.store, scale, c, dim));
  }

  /** Embeds a map of `scale`: [B, H, W, C] -> [B, H, W, dim]. */
  embed(scale: string, map: tf.Tensor4D): tf.Tensor4D {
    const head = this.heads.get(scale);
    if (!head) throw new Error(`MultiscaleEmbeddings: no scale "${scale}" (have ${[...this.heads.keys()].join(', ')})`);
    const [b, h, w, c] = map.shape;
    return tf.tidy(() => tf.reshape(head.apply(tf.reshape(map, [b * h * w, c])), [b, h, w, this.dim]));
  }
}
