import * as tf from '@tensorflow/tfjs';
import { relu, type Activation } from './functional';
import type { VariableStore } from './variable-store';

/** Options of a {@link Dense} layer. */
export interface DenseOptions {
  /** Add a bias (default true). */
  bias?: boolean;
}

/**
 * Fully connected layer y = act(x W + b): kernel W [inUnits, units] (Glorot-uniform),
 * bias b [units] (zeros). Variables are `<store prefix>/<name>/kernel` and `.../bias`.
 *
 * @example
 * const fc = new Dense(store, 'proj', 256, 128);
 * const y = fc.apply(x); // [B, 256] -> [B, 128]
 */
export class Dense {
  /** [inUnits, units] */
  readonly kernel: tf.Variable;
  /** [units], or null without bias. */
  readonly bias: tf.Variable | null;

  constructor(
    store: VariableStore,
    name: string,
    readonly inUnits: number,
    readonly units: number,
    options: DenseOptions = {},
  ) {
    if (!(Number.isInteger(inUnits) && inUnits >= 1 && Number.isInteger(units) && units >= 1)) {
      throw new Error(`Dense ${name}: units must be integers >= 1 (got ${inUnits} -> ${units})`);
    }
    const s = store.child(name);
    this.kernel = s.glorotUniform('kernel', [inUnits, units], inUnits, units);
    this.bias = options.bias === false ? null : s.constant('bias', [units], 0);
  }

  /**
   * @param x [B, inUnits]
   * @returns [B, units]
   */
  apply(x: tf.Tensor2D, activation: Activation = 'linear'): tf.Tensor2D {
    const b = this.kernel as tf.Tensor2D;
    const y = tf.fused.matMul({ a: x, b, bias: this.bias ?? undefined }) as tf.Tensor2D;
    return activation === 'relu' ? relu(y) : y; // see Conv2d.apply
  }
}
