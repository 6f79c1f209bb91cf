import * as tf from '@tensorflow/tfjs';
import type { Images, Rng } from '../contracts';

/**
 * One Bernoulli(p) draw per example: true = apply the augmentation to that example. Always
 * consumes exactly `batch` draws, whatever p is, so the random stream does not depend on p.
 */
export function drawMask(rng: Rng, batch: number, p: number): boolean[] {
  return Array.from({ length: batch }, () => rng.next() < p);
}

/** Per-example scalars as a [B, 1, 1, 1] tensor that broadcasts over an image batch. */
export function perExample(values: readonly number[]): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from(values), [values.length, 1, 1, 1]);
}

/** For each example, `ifTrue` where mask is set, else `ifFalse` (both [B, H, W, C]). */
export function selectPerExample(mask: readonly boolean[], ifTrue: Images, ifFalse: Images): Images {
  return tf.tidy(() => {
    const m = tf.tensor4d(Uint8Array.from(mask, Number), [mask.length, 1, 1, 1], 'bool');
    return tf.where(m, ifTrue, ifFalse) as Images;
  });
}

/** Clips to the valid pixel range [0, 1]. */
export function clip01(x: Images): Images {
  return tf.clipByValue(x, 0, 1);
}
