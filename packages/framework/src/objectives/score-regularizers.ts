import * as tf from '@tensorflow/tfjs';

/**
 * Soft clipping of scores, c · tanh(s / c): close to s for |s| << c, within (-c, c) (in
 * float32, tanh rounds to exactly ±1 beyond |s| ≈ 9c, so such scores become ±c).
 * AMDIM's stabiliser (Bachman et al. 2019, arXiv:1906.00910, section 3.4; clip value 20),
 * which keeps an InfoNCE over many locations from saturating early.
 *
 * @param scores any shape
 * @param clip c > 0
 */
export function softClip<T extends tf.Tensor>(scores: T, clip: number): T {
  if (!(clip > 0)) throw new Error(`softClip: the clip value must be > 0, got ${clip}`);
  return tf.tidy(() => tf.mul(tf.tanh(tf.div(scores, clip)), clip) as T);
}

/**
 * The mean of the squared scores, mean(s²): AMDIM's penalty on the raw scores (weight 4e-2
 * in the paper), added to the loss so the scores stay small where the clip is inactive.
 *
 * @param scores any shape
 * @returns scalar
 */
export function squaredScorePenalty(scores: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.mul(scores, scores)) as tf.Scalar);
}
