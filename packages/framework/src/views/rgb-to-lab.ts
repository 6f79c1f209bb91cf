import * as tf from '@tensorflow/tfjs';
import type { Images } from '../contracts';

/**
 * sRGB (D65) to CIE XYZ, the IEC 61966-2-1 matrix as Lindbloom tabulates it (7 digits); with
 * the D65 white below this reproduces the published Lab values of the sRGB primaries
 * (e.g. red = L 53.2408, a 80.0925, b 67.2032), checked in rgb-to-lab.test.ts.
 */
const RGB_TO_XYZ = [
  [0.4124564, 0.3575761, 0.1804375],
  [0.2126729, 0.7151522, 0.072175],
  [0.0193339, 0.119192, 0.9503041],
];
/** Reference white D65 (2° observer), X and Z relative to Y = 1. */
const WHITE_D65 = [0.95047, 1, 1.08883];
/** δ = 6/29: below δ³ the cube root of CIELAB becomes a line (continuous in value and slope). */
const DELTA = 6 / 29;

/**
 * CIE L*a*b* (CIE 1976) of sRGB images, as CMC uses to split colour into an L (lightness) and
 * an ab (colour) view (Tian et al. 2019, arXiv:1906.05849, §4.1):
 * sRGB is linearised (c ≤ 0.04045: c / 12.92, else ((c + 0.055) / 1.055)^2.4), mapped to XYZ
 * (D65), divided by the white, and t ↦ f(t) = t^(1/3) (t > δ³) or t / (3δ²) + 4/29 gives
 * L = 116 f(Y) − 16, a = 500 (f(X) − f(Y)), b = 200 (f(Y) − f(Z)).
 *
 * @param x [B, H, W, 3] sRGB in [0, 1]
 * @returns [B, H, W, 3]: L in [0, 100], a and b roughly in [−128, 127]
 * @example
 * ```ts
 * rgbToLab(tf.ones([1, 1, 1, 3])) // ≈ [[[[100, 0, 0]]]]
 * ```
 */
export function rgbToLab(x: Images): Images {
  if (x.rank !== 4 || x.shape[3] !== 3) {
    throw new Error(`rgbToLab: expected sRGB images [B, H, W, 3], got [${x.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const c = tf.clipByValue(x, 0, 1);
    const linear = tf.where(
      tf.lessEqual(c, 0.04045),
      tf.div(c, 12.92),
      tf.pow(tf.div(tf.add(c, 0.055), 1.055), 2.4),
    );
    // [.., 3] @ Mᵀ, each column divided by the white: X/Xn, Y/Yn, Z/Zn per pixel.
    const m = tf.div(tf.transpose(tf.tensor2d(RGB_TO_XYZ)), tf.tensor1d(WHITE_D65));
    const t = tf.reshape(tf.matMul(tf.reshape(linear, [-1, 3]), m), x.shape);
    // Cube root as exp(log(t) / 3) only where t > δ³ (> 0), so neither branch sees log(0).
    const cube = DELTA ** 3;
    const above = tf.greater(t, cube);
    const safe = tf.where(above, t, tf.onesLike(t));
    const f = tf.where(above, tf.pow(safe, 1 / 3), tf.add(tf.div(t, 3 * DELTA * DELTA), 4 / 29));
    const [fx, fy, fz] = tf.split(f, 3, 3);
    return tf.concat([
      tf.sub(tf.mul(fy, 116), 16),
      tf.mul(tf.sub(fx, fy), 500),
      tf.mul(tf.sub(fy, fz), 200),
    ], 3) as Images;
  });
}
