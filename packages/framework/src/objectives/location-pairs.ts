import * as tf from '@tensorflow/tfjs';
import type { ScoredPairs, ScoreFunction } from '../contracts';

/**
 * The positive mask of "an anchor per image against every location of every image": row i
 * is image i's anchor, column j is location j mod L of image ⌊j / L⌋, and (i, j) is positive
 * exactly when ⌊j / L⌋ = i. Every other pair (another image's location) is a negative.
 *
 * @param batch B, images (rows)
 * @param locations L, locations per image
 * @returns float32 [B, B·L]
 * @example sameImageMask(2, 3) = [[1,1,1,0,0,0],[0,0,0,1,1,1]]
 */
export function sameImageMask(batch: number, locations: number): tf.Tensor2D {
  return tf.tidy(() => tf.reshape(tf.tile(tf.expandDims(tf.eye(batch), 2), [1, 1, locations]), [batch, batch * locations]) as tf.Tensor2D);
}

/**
 * A feature map's locations as rows: [B, H, W, C] -> [B·H·W, C], image-major (row
 * b·H·W + y·W + x is image b at (y, x)), the column order of {@link sameImageMask}.
 * A score that projects each row (a Dense layer) is then a 1x1 convolution of the map.
 */
export function flattenLocations(map: tf.Tensor4D): tf.Tensor2D {
  const [b, h, w, c] = map.shape;
  return tf.reshape(map, [b * h * w, c]);
}

/**
 * Scores each image's anchor vector against every location of every image's feature map,
 * DIM(L)'s pairs (Hjelm et al. 2018, arXiv:1808.06670; AMDIM's global-to-local pairs,
 * arXiv:1906.00910): positives are the anchor's own image's H·W locations, negatives every
 * location of the other images.
 *
 * @param score any `ScoreFunction` whose candidates are C-dimensional
 * @param anchors [B, D], one per image
 * @param map [B, H, W, C], the same images in the same order
 * @returns scores [B, B·H·W] and positives [B, B·H·W]; negatives are the rest (left unset)
 */
export function scoreAgainstLocations(score: ScoreFunction, anchors: tf.Tensor2D, map: tf.Tensor4D): ScoredPairs {
  const [b, h, w] = map.shape;
  if (anchors.rank !== 2 || anchors.shape[0] !== b) {
    throw new Error(`scoreAgainstLocations: anchors must be [${b}, D] (one per image of the map [${map.shape}]), got [${anchors.shape}]`);
  }
  return { scores: score.score(anchors, flattenLocations(map)), positives: sameImageMask(b, h * w) };
}

/**
 * The positive mask of "every location of every image against every location of every
 * image": row r is location r mod La of image ⌊r / La⌋, column j location j mod Lb of image
 * ⌊j / Lb⌋, positive exactly when the images are the same (AMDIM's local-to-local pairs).
 * With La = 1 it is {@link sameImageMask}.
 *
 * @returns float32 [B·La, B·Lb]
 */
export function sameImageLocationsMask(batch: number, anchorLocations: number, candidateLocations: number): tf.Tensor2D {
  return tf.tidy(() => {
    const perImage = sameImageMask(batch, candidateLocations); // [B, B·Lb]
    const rows = tf.tile(tf.expandDims(perImage, 1), [1, anchorLocations, 1]); // [B, La, B·Lb]
    return tf.reshape(rows, [batch * anchorLocations, batch * candidateLocations]) as tf.Tensor2D;
  });
}

/**
 * Scores every location of one map against every location of another map of the same
 * images (AMDIM, Bachman et al. 2019, arXiv:1906.00910: e.g. the 5x5 map of one view
 * against the 5x5 map of the other). A [B, D] vector is a map with one location, so this
 * covers global-to-local, local-to-local and global-to-global.
 *
 * @param score any `ScoreFunction` on D-dimensional rows
 * @param anchors [B, Ha, Wa, D]
 * @param candidates [B, Hb, Wb, D]
 * @returns scores [B·Ha·Wa, B·Hb·Wb], positives where the two locations are of the same image
 */
export function scoreLocationsAgainstLocations(score: ScoreFunction, anchors: tf.Tensor4D, candidates: tf.Tensor4D): ScoredPairs {
  const [b, ha, wa] = anchors.shape;
  const [bc, hb, wb] = candidates.shape;
  if (bc !== b) throw new Error(`scoreLocationsAgainstLocations: anchors hold ${b} images but candidates ${bc}`);
  return {
    scores: score.score(flattenLocations(anchors), flattenLocations(candidates)),
    positives: sameImageLocationsMask(b, ha * wa, hb * wb),
  };
}

/**
 * Pairs of two aligned views: row i's positive is column i (the same image's other view),
 * every other column a negative. [N, N] scores with an identity mask.
 */
export function alignedPairs(scores: tf.Tensor2D): ScoredPairs {
  return { scores, positives: tf.eye(scores.shape[0], scores.shape[1]) as tf.Tensor2D };
}
