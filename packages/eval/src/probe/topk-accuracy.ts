import * as tf from '@tensorflow/tfjs';

/**
 * Fraction of rows whose label is among the `k` highest logits (top-1 for k = 1). Ties are
 * broken the way `tf.topk` breaks them (lower index first). k is capped at the class count.
 *
 * @param logits [N, C] class scores
 * @param labels N integers in [0, C)
 */
export function topkAccuracy(logits: tf.Tensor2D, labels: Int32Array, k: number): number {
  const [n, c] = logits.shape;
  if (labels.length !== n) throw new Error(`topkAccuracy: ${labels.length} labels for ${n} rows of logits`);
  if (n === 0) return 0;
  const kk = Math.max(1, Math.min(k, c));
  const indices = tf.tidy(() => tf.topk(logits, kk).indices);
  const flat = indices.dataSync();
  indices.dispose();
  let hits = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < kk; j++) {
      if (flat[i * kk + j] === labels[i]) {
        hits += 1;
        break;
      }
    }
  }
  return hits / n;
}
