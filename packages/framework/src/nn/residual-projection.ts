import * as tf from '@tensorflow/tfjs';
import { Dense } from './dense';
import type { VariableStore } from './variable-store';

/**
 * A two-layer ReLU network plus a linear shortcut: one side of Deep InfoMax's
 * encoder-and-dot critic (Hjelm et al. 2018, arXiv:1808.06670, appendix A.2) and AMDIM's
 * per-scale embeddings (Bachman et al. 2019, arXiv:1906.00910, its "NIN" blocks),
 *
 *   f(x) = W2 · relu(W1 x + b1) + b2 + Ws x.
 *
 * Applied to the rows of [N, D]. On a feature map's flattened locations ([B·H·W, C]) it is
 * exactly DIM's stack of 1x1 convolutions (a 1x1 convolution is a Dense layer per location).
 * Variables `<prefix>/{hidden,out,shortcut}/...`.
 */
export class ResidualProjection {
  private readonly hidden: Dense;
  private readonly out: Dense;
  private readonly shortcut: Dense;

  /**
   * @param store the critic's store; this side's variables go under `name`
   * @param inDim D of the rows it projects
   * @param units size of the hidden layer and of the output
   */
  constructor(store: VariableStore, name: string, readonly inDim: number, readonly units: number) {
    const s = store.child(name);
    this.hidden = new Dense(s, 'hidden', inDim, units);
    this.out = new Dense(s, 'out', units, units);
    this.shortcut = new Dense(s, 'shortcut', inDim, units, { bias: false });
  }

  /** [N, inDim] -> [N, units] */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    if (x.rank !== 2 || x.shape[1] !== this.inDim) {
      throw new Error(`ResidualProjection: expected rows of dimension ${this.inDim}, got [${x.shape}]`);
    }
    return tf.tidy(() => tf.add(this.out.apply(this.hidden.apply(x, 'relu')), this.shortcut.apply(x)));
  }
}
