import * as tf from '@tensorflow/tfjs';
import { disableNativeBatchNorm, nativeBatchNorm, type NativeBatchNormResult } from './native-batch-norm';
import type { VariableStore } from './variable-store';

/** Options of a {@link BatchNorm} layer. */
export interface BatchNormOptions {
  /** Weight of the old value in the moving averages (default 0.9). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  epsilon?: number;
  /**
   * Use TensorFlow's fused kernels for 4-D training passes when the native backend is active
   * (default true); false forces the portable tfjs implementation.
   */
  native?: boolean;
}

/**
 * Batch normalisation over the last (channel) axis (Ioffe & Szegedy 2015,
 * arXiv:1502.03167): y = gamma * (x - mean) / sqrt(var + epsilon) + beta.
 *
 * - training: mean/var are the (biased) batch statistics over every axis but the last, and
 *   gradients flow through them; the moving averages are then updated,
 *   `moving = momentum * moving + (1 - momentum) * batch`, with the unbiased batch
 *   variance (n / (n - 1)) for `movingVariance`, as PyTorch does.
 * - eval: mean/var are the moving averages; nothing is updated.
 *
 * Variables (`<store prefix>/<name>/...`): `gamma` (ones) and `beta` (zeros) trainable;
 * `movingMean` (zeros) and `movingVariance` (ones) non-trainable.
 *
 * Inside a gradient tape (`tf.variableGrads`, an optimizer's `minimize`) the training pass
 * is one `tf.customGrad` op with the analytic batch-norm gradient (far fewer ops than
 * differentiating `tf.moments`); on the native backend, 4-D inputs use TensorFlow's own
 * fused kernels ({@link nativeBatchNorm}). Its forward function runs with the tape off, so the
 * moving-average `assign` is made from detached values: the moving statistics are never
 * linked to the loss and never receive a gradient.
 *
 * @example
 * const bn = new BatchNorm(store, 'bn', 32);
 * const y = bn.apply(x, true); // [B, H, W, 32] -> [B, H, W, 32]
 */
export class BatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly movingMean: tf.Variable;
  readonly movingVariance: tf.Variable;
  readonly momentum: number;
  readonly epsilon: number;
  readonly native: boolean;
  private readonly trainingOp: (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;

  constructor(store: VariableStore, name: string, readonly channels: number, options: BatchNormOptions = {}) {
    this.momentum = options.momentum ?? 0.9;
    this.epsilon = options.epsilon ?? 1e-5;
    this.native = options.native ?? true;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new Error(`BatchNorm ${name}: momentum must be in [0, 1)`);
    if (!(this.epsilon > 0)) throw new Error(`BatchNorm ${name}: epsilon must be > 0`);
    const s = store.child(name);
    this.gamma = s.constant('gamma', [channels], 1);
    this.beta = s.constant('beta', [channels], 0);
    this.movingMean = s.constant('movingMean', [channels], 0, false);
    this.movingVariance = s.constant('movingVariance', [channels], 1, false);
    this.trainingOp = tf.customGrad((x, gamma, beta, save) =>
      this.trainingForward(x as tf.Tensor, gamma as tf.Tensor1D, beta as tf.Tensor1D, save as tf.GradSaveFunc),
    );
  }

  /**
   * @param x [..., channels] (typically [B, H, W, C] or [B, C])
   * @param training batch statistics and moving-average update (true) or moving statistics
   * @returns same shape as `x`
   */
  apply<T extends tf.Tensor>(x: T, training: boolean): T {
    if (x.rank < 2 || x.shape[x.rank - 1] !== this.channels) {
      throw new Error(`BatchNorm: expected [..., ${this.channels}], got [${x.shape.join(', ')}]`);
    }
    if (training) return this.trainingOp(x, this.gamma, this.beta) as T;
    return tf.batchNorm(x, this.movingMean, this.movingVariance, this.beta, this.gamma, this.epsilon) as T;
  }

  private trainingForward(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, save: tf.GradSaveFunc) {
    const native = this.native && x.rank === 4 ? nativeBatchNorm() : null;
    let result: NativeBatchNormResult | null = null;
    try {
      result = native?.forward(x as tf.Tensor4D, gamma, beta, this.epsilon) ?? null;
    } catch (err) {
      disableNativeBatchNorm((err as Error).message.split('\n')[0]);
    }
    if (native && result) {
      const { y, mean, unbiasedVariance, reserve } = result;
      this.updateMovingAverages(mean, unbiasedVariance);
      save([x, gamma, ...reserve]);
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) =>
        native.backward(dy, saved[0], saved[1], saved.slice(2), this.epsilon);
      return { value: y, gradFunc };
    }
    return this.portableForward(x, gamma, beta, save);
  }

  private portableForward(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, save: tf.GradSaveFunc) {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const n = x.size / this.channels;
    const mean = tf.mean(x, axes) as tf.Tensor1D;
    const variance = tf.mean(tf.squaredDifference(x, mean), axes) as tf.Tensor1D;
    this.updateMovingAverages(mean, n > 1 ? tf.mul(variance, n / (n - 1)) : variance);
    const inv = tf.rsqrt(tf.add(variance, this.epsilon));
    save([x, mean, inv, gamma]);
    const value = tf.batchNorm(x, mean, variance, beta, gamma, this.epsilon);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sx, sMean, sInv, sGamma] = saved;
      const xhat = tf.mul(tf.sub(sx, sMean), sInv);
      const dBeta = tf.sum(dy, axes);
      const dGamma = tf.sum(tf.mul(dy, xhat), axes);
      // dx = gamma * inv * (dy - mean(dy) - xhat * mean(dy * xhat))
      const k = tf.mul(sGamma, sInv);
      const centred = tf.sub(tf.mul(dy, k), tf.mul(xhat, tf.mul(k, tf.div(dGamma, n))));
      const dx = tf.sub(centred, tf.mul(k, tf.div(dBeta, n)));
      return [dx, dGamma, dBeta];
    };
    return { value, gradFunc };
  }

  /** Runs with the tape off (inside the custom op's forward): plain values, no gradient. */
  private updateMovingAverages(mean: tf.Tensor, unbiased: tf.Tensor): void {
    const keep = this.momentum;
    this.movingMean.assign(tf.add(tf.mul(this.movingMean, keep), tf.mul(mean, 1 - keep)));
    this.movingVariance.assign(tf.add(tf.mul(this.movingVariance, keep), tf.mul(unbiased, 1 - keep)));
  }
}
