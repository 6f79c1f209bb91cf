import * as tf from '@tensorflow/tfjs';
import type { Batch, Encoder, EncoderOutput } from '@contrastive/framework';

/** How an image is cut into a grid of square patches. */
export interface PatchGrid {
  /** Patch side in pixels. */
  size: number;
  /** Step between patch origins (size / 2: half-overlapping, as in arXiv:1905.09272). */
  stride: number;
}

/** Rows and columns of the patch grid of an H x W image: floor((side - size) / stride) + 1. */
export function gridShape(height: number, width: number, grid: PatchGrid): [number, number] {
  return [Math.floor((height - grid.size) / grid.stride) + 1, Math.floor((width - grid.size) / grid.stride) + 1];
}

/**
 * Cuts images into their patch grid, row-major: [B, H, W, C] -> [B·Gh·Gw, size, size, C]
 * (patch (i, j) of image b is row (b·Gh + i)·Gw + j).
 */
export function extractPatches(x: tf.Tensor4D, grid: PatchGrid): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const [gh, gw] = gridShape(h, w, grid);
    const patches: tf.Tensor4D[] = [];
    for (let i = 0; i < gh; i++) {
      for (let j = 0; j < gw; j++) patches.push(tf.slice(x, [0, i * grid.stride, j * grid.stride, 0], [b, grid.size, grid.size, c]));
    }
    // [Gh·Gw, B, s, s, C] -> [B, Gh·Gw, s, s, C] -> [B·Gh·Gw, s, s, C]
    const stacked = tf.transpose(tf.stack(patches, 0), [1, 0, 2, 3, 4]);
    return tf.reshape(stacked, [b * gh * gw, grid.size, grid.size, c]) as tf.Tensor4D;
  });
}

/**
 * CPC's g_enc on images (arXiv:1905.09272): a framework image encoder applied to every
 * patch of the grid. `codes(x)` gives z [B, Gh, Gw, D]; `encode(x).global` is z averaged
 * over the grid [B, D], the "pooled z" representation evaluated for CPC on images. The
 * variables are the patch encoder's.
 *
 * @example
 * const g = new PatchGridEncoder(convnet, { size: 8, stride: 4 });
 * const z = g.codes(images, true); // [B, 28, 28, 1] -> [B, 6, 6, embeddingDim]
 */
export class PatchGridEncoder implements Encoder {
  readonly modality = 'image' as const;
  readonly featureNames: readonly string[] = [];

  constructor(readonly patchEncoder: Encoder, readonly grid: PatchGrid) {}

  get embeddingDim(): number {
    return this.patchEncoder.embeddingDim;
  }

  /** @returns z [B, Gh, Gw, embeddingDim] */
  codes(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return tf.tidy(() => {
      const [b, h, w] = x.shape;
      const [gh, gw] = gridShape(h, w, this.grid);
      const z = this.patchEncoder.encode(extractPatches(x, this.grid), { training }).global;
      return tf.reshape(z, [b, gh, gw, this.embeddingDim]) as tf.Tensor4D;
    });
  }

  encode(x: Batch, options: { training: boolean; features?: readonly string[] }): EncoderOutput {
    if (options.features && options.features.length > 0) throw new Error('the CPC patch-grid encoder has no feature maps');
    return { global: tf.tidy(() => tf.mean(this.codes(x as tf.Tensor4D, options.training), [1, 2]) as tf.Tensor2D), features: {} };
  }

  trainableVariables(): tf.Variable[] {
    return this.patchEncoder.trainableVariables();
  }

  namedVariables(): Map<string, tf.Variable> {
    return this.patchEncoder.namedVariables();
  }

  dispose(): void {
    this.patchEncoder.dispose();
  }
}
