import * as tf from '@tensorflow/tfjs';
import type { Optimizer } from '../contracts';
import { stableNameOf } from '../nn/variable-store';

/** Options every optimizer factory has: the base learning rate the schedule scales. */
export interface OptimizerOptions {
  /** Base learning rate; the trainer passes `lr × schedule factor` to `apply`. */
  lr: number;
}

/**
 * An `Optimizer` whose state can be created before the first update, so a checkpoint can
 * be restored into a fresh optimizer: call `initState(variables)`, then assign the stored
 * values into the variables of `namedState()` (see {@link restoreOptimizerState}).
 */
export interface StatefulOptimizer extends Optimizer {
  /** The base learning rate from the options. */
  readonly lr: number;
  /** Creates (zero) state for every variable that has none yet; idempotent. */
  initState(variables: tf.Variable[]): void;
}

/**
 * Owns an optimizer's state variables, created on demand. Each is keyed by the stable name
 * `<prefix>/<stable variable name>/<slot>` (or `<prefix>/<name>` for global state), where
 * the variable's stable name is `stableNameOf(variable)` (e.g. `encoder/conv0/kernel`), so
 * the keys of `named()` — the checkpoint names — depend only on the optimised variables'
 * names, not on the order state was created in. As in VariableStore, the tfjs names of the
 * state variables are left to tfjs (they must be unique per process, and two optimizers
 * over two models with the same names may coexist).
 */
export class OptimizerStateStore {
  private readonly vars = new Map<string, tf.Variable>();

  constructor(readonly prefix: string) {}

  /** The `slot` state of `variable` (zeros of its shape on first use). */
  slot(variable: tf.Variable, slot: string): tf.Variable {
    return this.getOrCreate(`${this.prefix}/${stableNameOf(variable)}/${slot}`, () => tf.zerosLike(variable));
  }

  /** A global float32 scalar state (e.g. a step count), `initial` on first use. */
  scalar(name: string, initial = 0): tf.Variable {
    return this.getOrCreate(`${this.prefix}/${name}`, () => tf.scalar(initial, 'float32'));
  }

  /** Every state variable by name, sorted by name. */
  named(): Map<string, tf.Variable> {
    return new Map([...this.vars.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Frees every state variable. */
  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }

  private getOrCreate(name: string, init: () => tf.Tensor): tf.Variable {
    let v = this.vars.get(name);
    if (!v) {
      const initial = init();
      v = tf.variable(initial, false);
      initial.dispose();
      this.vars.set(name, v);
    }
    return v;
  }
}

/**
 * Throws unless `variables` and `grads` pair up one to one with equal shapes and `lr` is a
 * finite number >= 0. `name` names the optimizer in the message.
 */
export function assertApplyArgs(variables: tf.Variable[], grads: tf.Tensor[], lr: number, name: string): void {
  if (variables.length !== grads.length) {
    throw new Error(`${name}: ${variables.length} variables but ${grads.length} gradients`);
  }
  variables.forEach((v, i) => {
    const g = grads[i];
    if (!g || g.shape.length !== v.shape.length || g.shape.some((d, k) => d !== v.shape[k])) {
      throw new Error(`${name}: gradient for ${stableNameOf(v)} is [${g?.shape}] but the variable is [${v.shape}]`);
    }
  });
  if (!Number.isFinite(lr) || lr < 0) throw new Error(`${name}: learning rate must be finite and >= 0, got ${lr}`);
}

/**
 * Restores checkpointed optimizer state: creates the state for `variables`, then assigns
 * each stored tensor to the state variable of the same name. Throws if a state variable
 * has no stored value or a stored name is unknown, so a mismatched checkpoint fails loudly.
 */
export function restoreOptimizerState(
  optimizer: StatefulOptimizer,
  variables: tf.Variable[],
  values: ReadonlyMap<string, tf.Tensor>,
): void {
  optimizer.initState(variables);
  const state = optimizer.namedState();
  const unknown = [...values.keys()].filter((k) => !state.has(k));
  if (unknown.length > 0) throw new Error(`optimizer checkpoint has unknown state: ${unknown.join(', ')}`);
  for (const [name, v] of state) {
    const value = values.get(name);
    if (!value) throw new Error(`optimizer checkpoint is missing state ${name}`);
    v.assign(value);
  }
}
