import * as tf from '@tensorflow/tfjs';
import { VariableOwner, VariableStore, type Rng } from '@contrastive/framework';

/** The weights of a GRU: input W [D, 3H], recurrent U [H, 3H], bias b [3H]; gate order r, u, n. */
export interface GruWeights {
  input: tf.Tensor2D;
  recurrent: tf.Tensor2D;
  bias: tf.Tensor1D;
}

/**
 * One GRU step (Cho et al. 2014, arXiv:1406.1078; the formulation of PyTorch's nn.GRU with
 * one bias per gate):
 *   r = sigmoid(x W_r + h U_r + b_r),  u = sigmoid(x W_u + h U_u + b_u)
 *   n = tanh(x W_n + r * (h U_n) + b_n),  h' = (1 - u) * n + u * h
 * `xw` is x W + b precomputed for the step (all steps' input products are one matmul).
 *
 * @param xw [B, 3H] the step's input projection plus bias
 * @param h [B, H] the previous state
 * @returns [B, H] the next state
 * @example
 * const h1 = gruStep(tf.add(tf.matMul(x, w.input), w.bias), h0, w.recurrent);
 */
export function gruStep(xw: tf.Tensor2D, h: tf.Tensor2D, recurrent: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const hidden = h.shape[1];
    const hu = tf.matMul(h, recurrent);
    const [xr, xu, xn] = tf.split(xw, 3, 1);
    const [hr, hu2, hn] = tf.split(hu, 3, 1);
    const r = tf.sigmoid(tf.add(xr, hr));
    const u = tf.sigmoid(tf.add(xu, hu2));
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    const next = tf.add(tf.mul(tf.sub(1, u), n), tf.mul(u, h)) as tf.Tensor2D;
    if (next.shape[1] !== hidden) throw new Error('gruStep: state size changed');
    return next;
  });
}

/**
 * CPC's autoregressive context network g_ar for sequences (arXiv:1807.03748, section 3: a
 * GRU with 256 units): c_t = GRU(z_1..z_t), from h_0 = 0. c_t depends on z_<=t only (the
 * recurrence runs forward), which the tests check exactly.
 * Variables: `context/gru/{input,recurrent,bias}`.
 *
 * @example
 * const gru = new GruContext(64, 128, rng);
 * const c = gru.apply(z); // [B, T, 64] -> [B, T, 128]
 */
export class GruContext extends VariableOwner {
  readonly input: tf.Variable;
  readonly recurrent: tf.Variable;
  readonly bias: tf.Variable;

  constructor(readonly inputDim: number, readonly hiddenDim: number, rng: Rng) {
    super(new VariableStore('context', rng));
    const s = this.store.child('gru');
    this.input = s.glorotUniform('input', [inputDim, 3 * hiddenDim], inputDim, 3 * hiddenDim);
    this.recurrent = s.glorotUniform('recurrent', [hiddenDim, 3 * hiddenDim], hiddenDim, 3 * hiddenDim);
    this.bias = s.constant('bias', [3 * hiddenDim], 0);
  }

  /**
   * @param z [B, T, inputDim]
   * @returns c [B, T, hiddenDim]
   */
  apply(z: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const [b, t, d] = z.shape;
      if (d !== this.inputDim) throw new Error(`GRU context built for inputs of ${this.inputDim}, got [${z.shape.join(', ')}]`);
      // Every step's x W + b in one matmul; the loop only multiplies the state.
      const xw = tf.reshape(tf.add(tf.matMul(tf.reshape(z, [b * t, d]), this.input as tf.Tensor2D), this.bias), [b, t, 3 * this.hiddenDim]);
      const steps = tf.unstack(xw, 1) as tf.Tensor2D[];
      let h = tf.zeros([b, this.hiddenDim]) as tf.Tensor2D;
      const states: tf.Tensor2D[] = [];
      for (const step of steps) {
        h = gruStep(step, h, this.recurrent as tf.Tensor2D);
        states.push(h);
      }
      return tf.stack(states, 1) as tf.Tensor3D;
    });
  }
}
