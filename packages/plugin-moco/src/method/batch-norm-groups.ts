import * as tf from '@tensorflow/tfjs';
import { UserInputError, type Encoder, type Images, type Rng } from '@contrastive/framework';

/**
 * How batch normalisation sees a MoCo batch on one device (arXiv:1911.05722, §3.3):
 *
 * - `global`: each encoder normalises over its whole batch (one device's BN, or what
 *   SimCLR calls global BN).
 * - `split`: each encoder's batch is cut into `groups` sub-batches with their own statistics,
 *   as on that many devices; key i is normalised together with query i's group. This is the
 *   setting in which the paper found the model "cheats" the pretext task through BN's
 *   intra-batch communication: kept for ablations.
 * - `shuffle`: as `split`, but the key batch is shuffled before the key encoder and
 *   unshuffled after, so a key and its query are normalised with different groups of
 *   examples: the paper's Shuffling BN, emulated on one device (as in MoCo's single-GPU
 *   CIFAR demo, which splits BN into 8 groups).
 */
export type BatchNormMode = 'global' | 'split' | 'shuffle';

/** Sizes of `groups` near-equal consecutive parts of `n` items (the first ones one larger). */
export function groupSizes(n: number, groups: number): number[] {
  const base = Math.floor(n / groups);
  return Array.from({ length: groups }, (_, i) => base + (i < n % groups ? 1 : 0));
}

/**
 * True when `encoder` has batch-norm statistics (a variable named like `movingMean`,
 * `moving_mean` or `running_mean`). Without them examples do not interact inside the
 * encoder, so grouping cannot change its output and is skipped.
 */
export function hasBatchNorm(encoder: Encoder): boolean {
  return [...encoder.namedVariables().keys()].some((n) => /(moving|running)_?mean$/i.test(n));
}

/** Throws a UserInputError unless every group gets at least two examples (BN needs a variance). */
export function checkGroups(batch: number, groups: number): void {
  if (batch < 2 * groups) {
    throw new UserInputError(
      `method.batchNormGroups: ${groups} batch-norm groups need a batch of at least ${2 * groups} examples ` +
        `(two per group), got ${batch}; lower method.batchNormGroups or raise data.batchSize`,
    );
  }
}

/**
 * Runs `encode` on consecutive groups of `x` and concatenates the results, so each group is
 * normalised with its own batch statistics ("split BN").
 *
 * @param x [B, H, W, C]
 * @param encode [b, H, W, C] -> [b, D]
 * @returns [B, D], rows in the order of `x`
 */
export function encodeInGroups(x: Images, groups: number, encode: (x: Images) => tf.Tensor2D): tf.Tensor2D {
  if (groups <= 1) return encode(x);
  return tf.tidy(() => {
    const parts = tf.split(x, groupSizes(x.shape[0], groups), 0) as Images[];
    return tf.concat(parts.map(encode), 0) as tf.Tensor2D;
  });
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates from `rng`) and its inverse. */
export function randomPermutation(n: number, rng: Rng): { order: Int32Array; inverse: Int32Array } {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const inverse = new Int32Array(n);
  order.forEach((from, to) => { inverse[from] = to; });
  return { order, inverse };
}

/**
 * Shuffling BN on one device: permutes the batch, encodes it in groups, and puts the rows
 * back in the original order, so row i of the result is the encoding of x[i] but was
 * normalised with a random group of examples.
 *
 * @param x [B, H, W, C]
 * @returns [B, D], rows in the order of `x`
 */
export function encodeShuffled(
  x: Images, groups: number, rng: Rng, encode: (x: Images) => tf.Tensor2D,
): tf.Tensor2D {
  const { order, inverse } = randomPermutation(x.shape[0], rng);
  return tf.tidy(() => {
    const shuffled = tf.gather(x, tf.tensor1d(order, 'int32')) as Images;
    const encoded = encodeInGroups(shuffled, groups, encode);
    return tf.gather(encoded, tf.tensor1d(inverse, 'int32')) as tf.Tensor2D;
  });
}
