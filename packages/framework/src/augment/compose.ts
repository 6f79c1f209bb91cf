import * as tf from '@tensorflow/tfjs';
import type { Augmentation, HostImages, Images, Rng } from '../contracts';

/**
 * One Augmentation that applies `list` in order, all drawing from the same rng; the
 * intermediate batches are disposed. An empty list returns a copy of the input.
 *
 * The leading augmentations that offer `applyToPixels` (the built-in crop, flip and colour
 * jitter do) run on a host copy of the batch, which is then uploaded once; the rest run as
 * tensor ops. Both paths draw the same random numbers, so a seed gives the same views
 * (up to float32 rounding) whichever path runs.
 */
export function composeAugmentations(list: readonly Augmentation[]): Augmentation {
  const steps = [...list];
  const onHost = steps.findIndex((s) => !s.applyToPixels);
  const hostSteps = steps.slice(0, onHost === -1 ? steps.length : onHost);
  const tensorSteps = steps.slice(hostSteps.length);
  const applyToPixels = (x: HostImages, rng: Rng): HostImages =>
    hostSteps.reduce((acc, step) => step.applyToPixels!(acc, rng), x);
  return {
    apply(x: Images, rng: Rng): Images {
      if (steps.length === 0) return tf.clone(x);
      return tf.tidy(() => {
        let start = x;
        if (hostSteps.length > 0) {
          // dataSync may hand out the backend's own buffer (cpu): copy before writing.
          const host = applyToPixels({ data: new Float32Array(x.dataSync()), shape: [...x.shape] }, rng);
          start = tf.tensor4d(host.data, host.shape);
        }
        const out = tensorSteps.reduce<Images>((acc, step) => step.apply(acc, rng), start);
        return out === x ? tf.clone(x) : out; // never hand the caller its own input to dispose
      });
    },
    // A pipeline made only of host-capable steps is itself host-capable.
    ...(tensorSteps.length === 0 && hostSteps.length > 0 ? { applyToPixels } : {}),
  };
}
