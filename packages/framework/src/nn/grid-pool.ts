import * as tf from '@tensorflow/tfjs';

/**
 * Adaptive average pooling to a g x g grid, flattened: [B, H, W, C] -> [B, g·g·C]. Cell
 * (r, c) averages rows ⌊r·H/g⌋ .. ⌈(r+1)·H/g⌉ - 1 and the same for columns (PyTorch's
 * AdaptiveAvgPool2d), so a 7x7 map to 2x2 averages rows 0-3 and 3-6. Keeps coarse spatial
 * layout that global average pooling discards, at g² times the channels. Deep InfoMax and
 * AMDIM evaluate their local features this way (`local-grid`).
 *
 * @param map [B, H, W, C] with H, W >= g
 * @param grid g >= 1
 * @returns [B, g·g·C], cells row-major, channels innermost
 */
export function gridPool(map: tf.Tensor4D, grid: number): tf.Tensor2D {
  const [b, h, w, c] = map.shape;
  if (!(Number.isInteger(grid) && grid >= 1 && grid <= h && grid <= w)) {
    throw new Error(`gridPool: grid must be an integer in [1, ${Math.min(h, w)}] for a ${h}x${w} map, got ${grid}`);
  }
  const span = (i: number, n: number): [number, number] => [Math.floor((i * n) / grid), Math.ceil(((i + 1) * n) / grid)];
  return tf.tidy(() => {
    const cells: tf.Tensor[] = [];
    for (let r = 0; r < grid; r++) {
      const [r0, r1] = span(r, h);
      for (let q = 0; q < grid; q++) {
        const [c0, c1] = span(q, w);
        cells.push(tf.mean(tf.slice(map, [0, r0, c0, 0], [b, r1 - r0, c1 - c0, c]), [1, 2]));
      }
    }
    return tf.concat(cells, 1) as tf.Tensor2D;
  });
}
