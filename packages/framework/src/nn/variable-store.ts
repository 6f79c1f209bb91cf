import * as tf from '@tensorflow/tfjs';
import type { HasVariables, Rng } from '../contracts';

const stableNames = new WeakMap<tf.Variable, string>();

/**
 * The stable name (`encoder/conv0/kernel`) a VariableStore gave a variable, or the tfjs
 * name for variables made elsewhere. Optimizers key their state by it so checkpoints match.
 */
export function stableNameOf(variable: tf.Variable): string {
  return stableNames.get(variable) ?? variable.name;
}

/**
 * Gives a variable a new stable name (API 1.4). For wrappers that place a module under a
 * prefix, e.g. the encoder of view `L` whose variables become `view-L/encoder/...`, so the
 * optimizer's state and the checkpoint use the same, unique names.
 */
export function setStableName(variable: tf.Variable, name: string): void {
  stableNames.set(variable, name);
}

/**
 * Creates and owns named variables for one module. Names are `<prefix>/<name>`; the
 * initialisers are seeded from the module's Rng, so the same seed gives the same weights.
 */
export class VariableStore implements HasVariables {
  private readonly vars = new Map<string, tf.Variable>();
  private readonly trainable: tf.Variable[] = [];

  constructor(readonly prefix: string, private readonly rng: Rng) {}

  /** He-normal (fan-in) weights: the default for ReLU networks. */
  heNormal(name: string, shape: number[], fanIn: number): tf.Variable {
    const std = Math.sqrt(2 / fanIn);
    return this.add(name, tf.randomNormal(shape, 0, std, 'float32', this.rng.seed()), true);
  }

  /** Glorot-uniform weights: the default for linear projections. */
  glorotUniform(name: string, shape: number[], fanIn: number, fanOut: number): tf.Variable {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return this.add(name, tf.randomUniform(shape, -limit, limit, 'float32', this.rng.seed()), true);
  }

  constant(name: string, shape: number[], value: number, trainable = true): tf.Variable {
    return this.add(name, tf.fill(shape, value), trainable);
  }

  /** Registers a variable made from `initial` (which the store takes ownership of). */
  add(name: string, initial: tf.Tensor, trainable: boolean): tf.Variable {
    const full = `${this.prefix}/${name}`;
    if (this.vars.has(full)) throw new Error(`variable ${full} defined twice`);
    // tfjs names must be unique per process (two encoders with the same prefix would
    // clash), so tfjs picks its own name; the stable name lives in this store's map.
    const v = tf.variable(initial, trainable);
    initial.dispose();
    this.vars.set(full, v);
    stableNames.set(v, full);
    if (trainable) this.trainable.push(v);
    return v;
  }

  /** A child store whose names are `<prefix>/<name>/...`, sharing this store's variables. */
  child(name: string): VariableStore {
    const c = new VariableStore(`${this.prefix}/${name}`, this.rng);
    (c as unknown as { vars: Map<string, tf.Variable> }).vars = this.vars;
    (c as unknown as { trainable: tf.Variable[] }).trainable = this.trainable;
    return c;
  }

  trainableVariables(): tf.Variable[] {
    return [...this.trainable];
  }

  namedVariables(): Map<string, tf.Variable> {
    return new Map(this.vars);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
    this.trainable.length = 0;
  }
}
