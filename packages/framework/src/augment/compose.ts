import * as tf from '@tensorflow/tfjs';
import type { Augmentation, Images, Rng } from '../contracts';

/**
 * One Augmentation that applies `list` in order, all drawing from the same rng; the
 * intermediate batches are disposed. An empty list returns a copy of the input.
 */
export function composeAugmentations(list: readonly Augmentation[]): Augmentation {
  const steps = [...list];
  return {
    apply(x: Images, rng: Rng): Images {
      if (steps.length === 0) return tf.clone(x);
      return tf.tidy(() => {
        const out = steps.reduce<Images>((acc, step) => step.apply(acc, rng), x);
        return out === x ? tf.clone(x) : out; // never hand the caller its own input to dispose
      });
    },
  };
}
