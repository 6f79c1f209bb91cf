import type * as tf from '@tensorflow/tfjs';
import type { HasVariables } from '../contracts';

/**
 * Collects the variables of a method's parts (encoder, score, samplers, heads) under one
 * HasVariables, so the trainer and the checkpoint see a single set of names.
 */
export function combineVariables(parts: Array<Partial<HasVariables> | undefined>): HasVariables {
  const owners = parts.filter((p): p is HasVariables => !!p && typeof p.namedVariables === 'function');
  return {
    trainableVariables: () => owners.flatMap((p) => p.trainableVariables()),
    namedVariables: () => {
      const all = new Map<string, tf.Variable>();
      for (const p of owners) {
        for (const [name, v] of p.namedVariables()) {
          if (all.has(name)) throw new Error(`two parts of the method both own a variable named ${name}`);
          all.set(name, v);
        }
      }
      return all;
    },
    dispose: () => owners.forEach((p) => p.dispose()),
  };
}
