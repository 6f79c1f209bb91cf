import * as tf from '@tensorflow/tfjs';
import { stableNameOf, type Encoder, type EncoderOutput, type Images } from '@contrastive/framework';
import { detachedForward } from './detached-forward';
import { momentumAt, type MomentumSchedule } from './momentum-schedule';

/**
 * An online encoder and its momentum copy, the query and key encoders of MoCo
 * (He et al. 2019, arXiv:1911.05722, §3.2 "Momentum update"):
 *
 *   theta_k <- m theta_k + (1 - m) theta_q      after every optimizer step
 *
 * - `encode` is the online encoder (trained by gradients), so a MomentumEncoder can stand
 *   wherever an encoder is expected.
 * - `encodeKeys` is the momentum (key) encoder: its output [B, D] is detached and its ops are
 *   not recorded on the gradient tape; its variables are non-trainable. No gradient reaches it.
 * - `update(step, totalSteps)` applies the momentum update to every trainable variable of the
 *   online encoder (the "parameters"); the key encoder's batch-norm statistics follow its own
 *   forward passes, as in MoCo's code.
 *
 * The two encoders are separate instances of the same spec; at construction every variable
 * of the key encoder (weights and batch-norm statistics) is copied from the online one, matched
 * by stable name. In `namedVariables()` the key encoder's names get the prefix `momentum/`
 * (`momentum/encoder/conv0/kernel`), so checkpoints hold both and a resume is exact.
 *
 * @example
 * ```ts
 * const pair = new MomentumEncoder(ctx.build('encoder', spec), ctx.build('encoder', spec), { momentum: 0.99, schedule: 'constant' });
 * const q = pair.encode(xq, { training: true }).global;   // [B, D], trainable
 * const k = pair.encodeKeys(xk, { training: true });      // [B, D], constant
 * // ... after the optimizer step:
 * pair.update(step, totalSteps);
 * ```
 */
export class MomentumEncoder implements Encoder {
  /** Momentum used by the last `update` (NaN before the first). */
  lastMomentum = Number.NaN;
  /** [online, key] variable pairs updated by the momentum rule, in the online order. */
  private readonly pairs: Array<[tf.Variable, tf.Variable]>;

  /**
   * @param online the encoder trained by gradients
   * @param key a second instance of the same spec; its variables are overwritten and frozen
   * @param schedule momentum m0 and its schedule
   * @param prefix name prefix of the key encoder's variables in `namedVariables()`
   */
  constructor(
    readonly online: Encoder,
    readonly key: Encoder,
    readonly schedule: MomentumSchedule,
    readonly prefix = 'momentum',
  ) {
    if (!(schedule.momentum >= 0 && schedule.momentum <= 1)) {
      throw new Error(`momentum encoder: momentum must be in [0, 1], got ${schedule.momentum}`);
    }
    const onlineVars = online.namedVariables();
    const keyVars = key.namedVariables();
    const differs = [...onlineVars.keys()].filter((n) => !keyVars.has(n) || !sameShape(keyVars.get(n)!, onlineVars.get(n)!));
    if (differs.length > 0 || onlineVars.size !== keyVars.size) {
      throw new Error(
        `momentum encoder: the key encoder does not have the online encoder's variables ` +
          `(first mismatch: ${differs[0] ?? [...keyVars.keys()].find((n) => !onlineVars.has(n))}); build both from the same spec`,
      );
    }
    for (const [name, v] of keyVars) {
      const copy = tf.clone(onlineVars.get(name)!);
      v.assign(copy);
      copy.dispose();
      v.trainable = false;
    }
    this.pairs = online.trainableVariables().map((v) => [v, keyVars.get(stableNameOf(v))!]);
  }

  get embeddingDim(): number {
    return this.online.embeddingDim;
  }

  get featureNames(): readonly string[] {
    return this.online.featureNames;
  }

  /** The online encoder's forward pass; see {@link Encoder.encode}. */
  encode(x: Images, options: { training: boolean; features?: readonly string[] }): EncoderOutput {
    return this.online.encode(x, options);
  }

  /**
   * The key encoder's representation, as a constant.
   *
   * @param x [B, H, W, C]
   * @param options.training batch statistics (true, MoCo's setting) or moving averages
   * @returns [B, embeddingDim], detached
   */
  encodeKeys(x: Images, options: { training: boolean }): tf.Tensor2D {
    return detachedForward(x, (input) => this.key.encode(input as Images, options).global);
  }

  /**
   * theta_k <- m theta_k + (1 - m) theta_q for every trainable variable of the online encoder,
   * with m from the schedule at `step` of `totalSteps`. Call after the optimizer step.
   *
   * @returns the momentum m that was used
   */
  update(step: number, totalSteps?: number): number {
    const m = momentumAt(this.schedule, step, totalSteps);
    for (const [q, k] of this.pairs) {
      const next = tf.tidy(() => tf.add(tf.mul(k, m), tf.mul(q, 1 - m)));
      k.assign(next);
      next.dispose();
    }
    this.lastMomentum = m;
    return m;
  }

  /** The online encoder's trainable variables (the key encoder has none). */
  trainableVariables(): tf.Variable[] {
    return this.online.trainableVariables();
  }

  /** The online encoder's variables, then the key encoder's as `<prefix>/<name>`. */
  namedVariables(): Map<string, tf.Variable> {
    const all = new Map(this.online.namedVariables());
    for (const [name, v] of this.key.namedVariables()) all.set(`${this.prefix}/${name}`, v);
    return all;
  }

  dispose(): void {
    this.online.dispose();
    this.key.dispose();
  }
}

function sameShape(a: tf.Tensor, b: tf.Tensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

/** True for an encoder that also has a momentum key encoder (duck-typed, across packages). */
export function isMomentumEncoder(encoder: Encoder): encoder is MomentumEncoder {
  const e = encoder as Partial<MomentumEncoder>;
  return typeof e.encodeKeys === 'function' && typeof e.update === 'function';
}
