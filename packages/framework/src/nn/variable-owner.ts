import type * as tf from '@tensorflow/tfjs';
import type { HasVariables } from '../contracts';
import type { VariableStore } from './variable-store';

/**
 * A component whose variables all live in one {@link VariableStore}: `HasVariables` by
 * delegating to the store, so encoders, scores and heads do not each write the same three
 * methods. Subclasses create their layers in `this.store`.
 */
export abstract class VariableOwner implements HasVariables {
  protected constructor(protected readonly store: VariableStore) {}

  /** Trainable variables in creation order. */
  trainableVariables(): tf.Variable[] {
    return this.store.trainableVariables();
  }

  /** Every variable (trainable or not) by stable name `<prefix>/...`. */
  namedVariables(): Map<string, tf.Variable> {
    return this.store.namedVariables();
  }

  /** Frees every variable. */
  dispose(): void {
    this.store.dispose();
  }
}
