import * as tf from '@tensorflow/tfjs';
import { activeTfNodeBackend, float32Attr } from './tf-node-backend';

/** What the native training-mode batch-norm returns. */
export interface NativeBatchNormResult {
  /** Normalised output, same shape as x. */
  y: tf.Tensor4D;
  /** Batch mean [C]. */
  mean: tf.Tensor1D;
  /** Unbiased (n / (n - 1)) batch variance [C], for the moving average. */
  unbiasedVariance: tf.Tensor1D;
  /** Opaque tensors the gradient needs (save them for {@link NativeBatchNorm.backward}). */
  reserve: [tf.Tensor, tf.Tensor];
}

/** TensorFlow's own fused batch-norm kernels (forward and gradient) for NHWC float32. */
export interface NativeBatchNorm {
  forward(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): NativeBatchNormResult;
  /** @returns [dx, dgamma, dbeta] */
  backward(dy: tf.Tensor, x: tf.Tensor, gamma: tf.Tensor, reserve: tf.Tensor[], epsilon: number): tf.Tensor[];
}

let disabledBecause: string | null = null;

/**
 * Stops {@link nativeBatchNorm} from offering the native kernels for the rest of the
 * process (called when they fail, so training falls back to the portable implementation).
 */
export function disableNativeBatchNorm(reason: string): void {
  if (disabledBecause !== null) return;
  disabledBecause = reason;
  process.emitWarning(`native batch-norm kernels disabled, using the portable version: ${reason}`);
}

/**
 * The native kernels when the active backend is tfjs-node's `tensorflow`, else null.
 * tfjs has no training-mode batch-norm kernel, so a portable version needs ~13 passes over
 * the activations per layer (forward and backward); TensorFlow's `FusedBatchNorm` and
 * `FusedBatchNormGrad` need about a third of that.
 */
export function nativeBatchNorm(): NativeBatchNorm | null {
  const backend = disabledBecause === null ? activeTfNodeBackend() : null;
  if (!backend) return null;
  const { binding } = backend;
  const exec = backend.executeMultipleOutputs.bind(backend);
  const attrs = (epsilon: number) => [
    float32Attr(backend),
    { name: 'epsilon', type: binding.TF_ATTR_FLOAT, value: epsilon },
    { name: 'data_format', type: binding.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'is_training', type: binding.TF_ATTR_BOOL, value: true },
  ];
  return {
    forward(x, gamma, beta, epsilon) {
      const empty = tf.tensor1d([]); // population statistics: unused (must be empty) in training
      const [y, mean, variance, r1, r2] = exec('FusedBatchNorm', attrs(epsilon), [x, gamma, beta, empty, empty], 5);
      empty.dispose();
      // TensorFlow's batch_variance output is the Bessel-corrected one (for running averages).
      const unbiasedVariance = variance as tf.Tensor1D;
      return { y: y as tf.Tensor4D, mean: mean as tf.Tensor1D, unbiasedVariance, reserve: [r1, r2] };
    },
    backward(dy, x, gamma, reserve, epsilon) {
      const [dx, dGamma, dBeta, r3, r4] = exec('FusedBatchNormGrad', attrs(epsilon), [dy, x, gamma, ...reserve], 5);
      r3.dispose();
      r4.dispose();
      return [dx, dGamma, dBeta];
    },
  };
}
