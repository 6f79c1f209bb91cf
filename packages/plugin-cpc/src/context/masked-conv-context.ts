import * as tf from '@tensorflow/tfjs';
import { VariableOwner, VariableStore, type Rng } from '@contrastive/framework';

/** Options of {@link MaskedConvContext}. */
export interface MaskedConvContextOptions {
  /** Output channels of each layer (ReLU between layers, the last is linear). */
  channels: number[];
  /** Kernel size (rows and columns), odd. */
  kernelSize: number;
}

/**
 * CPC's context network over an image's patch grid (Henaff et al. 2019, arXiv:1905.09272:
 * a masked convolutional network; van den Oord et al. 2018, arXiv:1807.03748, section 3.2:
 * a PixelCNN-style network over rows): z [B, Gh, Gw, D] -> c [B, Gh, Gw, C] where c at row
 * i sees rows <= i only. Each layer pads k - 1 rows on top and none below, then convolves
 * 'valid' in rows, so no output row reaches a row below it (exact causality, tested); in
 * columns it is an ordinary 'same' convolution. Variables: `context/conv<i>/{kernel,bias}`.
 *
 * @example
 * const ar = new MaskedConvContext(64, { channels: [128, 128], kernelSize: 3 }, rng);
 * const c = ar.apply(z); // [B, 6, 6, 64] -> [B, 6, 6, 128]
 */
export class MaskedConvContext extends VariableOwner {
  readonly outputDim: number;
  private readonly kernels: tf.Variable[] = [];
  private readonly biases: tf.Variable[] = [];

  constructor(readonly inputDim: number, private readonly options: MaskedConvContextOptions, rng: Rng) {
    super(new VariableStore('context', rng));
    const k = options.kernelSize;
    if (k % 2 !== 1) throw new Error(`masked-conv context: kernelSize must be odd, got ${k}`);
    let inC = inputDim;
    options.channels.forEach((out, i) => {
      const s = this.store.child(`conv${i}`);
      this.kernels.push(s.heNormal('kernel', [k, k, inC, out], k * k * inC));
      this.biases.push(s.constant('bias', [out], 0));
      inC = out;
    });
    this.outputDim = inC;
  }

  /**
   * @param z [B, Gh, Gw, inputDim]
   * @returns c [B, Gh, Gw, outputDim]; row i depends on rows 0..i of z only
   */
  apply(z: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      const k = this.options.kernelSize;
      const half = (k - 1) / 2;
      let h = z;
      this.kernels.forEach((kernel, i) => {
        const padded = tf.pad(h, [[0, 0], [k - 1, 0], [half, half], [0, 0]]);
        const y = tf.add(tf.conv2d(padded, kernel as tf.Tensor4D, 1, 'valid'), this.biases[i]) as tf.Tensor4D;
        h = i < this.kernels.length - 1 ? tf.relu(y) : y;
      });
      return h;
    });
  }
}
