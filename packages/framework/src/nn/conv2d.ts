import * as tf from '@tensorflow/tfjs';
import { relu, type Activation } from './functional';
import { conv2dWithBias } from './conv2d-with-bias';
import type { VariableStore } from './variable-store';

/** Options of a {@link Conv2d} layer. */
export interface Conv2dOptions {
  inChannels: number;
  outChannels: number;
  /** Square kernel side (default 3). */
  kernelSize?: number;
  /** Stride in both spatial directions (default 1). */
  stride?: number;
  /** Add a bias (default true; turn off when a batch-norm follows). */
  bias?: boolean;
}

/**
 * 2-D convolution, NHWC, 'same' padding: kernel [k, k, in, out] (He-normal, fan-in
 * k*k*in), optional bias [out] (zeros). Output side is ceil(side / stride).
 * Variables are `<store prefix>/<name>/kernel` and `.../bias`.
 *
 * @example
 * const conv = new Conv2d(store, 'conv0', { inChannels: 1, outChannels: 32, stride: 2 });
 * const y = conv.apply(x, 'relu'); // [B, 28, 28, 1] -> [B, 14, 14, 32]
 */
export class Conv2d {
  /** [k, k, inChannels, outChannels] */
  readonly kernel: tf.Variable;
  /** [outChannels], or null without bias. */
  readonly bias: tf.Variable | null;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;

  constructor(store: VariableStore, name: string, options: Conv2dOptions) {
    const { inChannels, outChannels, kernelSize = 3, stride = 1 } = options;
    for (const [what, v] of Object.entries({ inChannels, outChannels, kernelSize, stride })) {
      if (!(Number.isInteger(v) && v >= 1)) {
        throw new Error(`Conv2d ${name}: ${what} must be an integer >= 1 (got ${v})`);
      }
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.stride = stride;
    const s = store.child(name);
    const fanIn = kernelSize * kernelSize * inChannels;
    this.kernel = s.heNormal('kernel', [kernelSize, kernelSize, inChannels, outChannels], fanIn);
    this.bias = options.bias === false ? null : s.constant('bias', [outChannels], 0);
  }

  /**
   * @param x [B, H, W, inChannels]
   * @returns [B, ceil(H / stride), ceil(W / stride), outChannels]
   */
  apply(x: tf.Tensor4D, activation: Activation = 'linear'): tf.Tensor4D {
    // Not tf.fused.conv2d: its gradient is one custom function that computes the gradients
    // of x, kernel and bias whenever any is needed, so the first layer paid for a gradient
    // of the input images nobody uses (a full Conv2DBackpropInput, ~10% of a convnet step
    // on the native backend). The plain ops' gradients are computed per input, on demand.
    // conv2dWithBias (see there) is per-input too, and fuses what the backend can: the bias
    // on native TensorFlow, the bias and the ReLU on wasm.
    const kernel = this.kernel as tf.Tensor4D;
    const bias = this.bias as tf.Tensor1D | null;
    if (bias && activation === 'relu') {
      const fused = conv2dWithBias(x, kernel, bias, this.stride, 'relu');
      if (fused) return fused;
    }
    const y = (bias && conv2dWithBias(x, kernel, bias, this.stride, 'linear')) ?? this.convPlusBias(x, kernel, bias);
    // Not tf.relu: `relu` has the cheaper gradient (see functional.ts).
    return activation === 'relu' ? relu(y) : y;
  }

  private convPlusBias(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D | null): tf.Tensor4D {
    const conv = tf.conv2d(x, kernel, this.stride, 'same');
    return bias ? tf.add(conv, bias) : conv;
  }
}
