import * as tf from '@tensorflow/tfjs';
import { Dense, VariableOwner, VariableStore, type Rng } from '@contrastive/framework';
import { gradientReversal } from './gradient-reversal';

/**
 * DIM's prior matching (Hjelm et al. 2018, arXiv:1808.06670, section 3.3): a discriminator
 * D tells samples v of a uniform prior on [0, 1]^D from the squashed global vectors
 * σ(y); the encoder is trained to fool it, so the representation fills the prior's box:
 *
 *   L_prior = E_v[softplus(-D(v))] + E_y[softplus(D(σ(y)))]    (binary cross-entropy of D)
 *
 * minimised by D and, through a gradient reversal on σ(y), maximised by the encoder: one
 * optimizer step plays the paper's min-max. D: Dense(D→units)-ReLU-Dense(units→units)-ReLU-
 * Dense(units→1), as the paper's 1000-200 discriminator, scaled down.
 * Variables `prior/{l0,l1,out}/...`.
 *
 * @example
 * ```ts
 * const prior = new PriorDiscriminator(128, 200, rng);
 * const loss = prior.loss(globals, seed); // scalar
 * ```
 */
export class PriorDiscriminator extends VariableOwner {
  private readonly l0: Dense;
  private readonly l1: Dense;
  private readonly out: Dense;

  constructor(readonly dim: number, readonly units: number, rng: Rng, prefix = 'prior') {
    super(new VariableStore(prefix, rng));
    this.l0 = new Dense(this.store, 'l0', dim, units);
    this.l1 = new Dense(this.store, 'l1', units, units);
    this.out = new Dense(this.store, 'out', units, 1);
  }

  /** Logits of D: [N, dim] -> [N, 1] (high: "from the prior"). */
  logits(v: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.out.apply(this.l1.apply(this.l0.apply(v, 'relu'), 'relu')));
  }

  /**
   * L_prior for the global vectors y [B, dim] and B prior samples drawn with `seed`.
   * @returns scalar; its gradient trains D to discriminate and the encoder (reversed) to fool D
   */
  loss(y: tf.Tensor2D, seed: number): tf.Scalar {
    return tf.tidy(() => {
      const prior = tf.randomUniform(y.shape, 0, 1, 'float32', seed) as tf.Tensor2D;
      const real = tf.mean(tf.softplus(tf.neg(this.logits(prior))));
      const fake = tf.mean(tf.softplus(this.logits(gradientReversal(tf.sigmoid(y)))));
      return tf.add(real, fake) as tf.Scalar;
    });
  }
}
