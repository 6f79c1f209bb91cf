import * as tf from '@tensorflow/tfjs';
import { SeededRng } from '@contrastive/framework';
import { UMAP } from 'umap-js';

/** Options of {@link umapProjection}. */
export interface UmapProjectionOptions {
  /** Neighbourhood size (the point itself included, as in the Python UMAP). */
  neighbors: number;
  minDist: number;
  epochs: number;
  seed: number;
}

/**
 * Projects features to 2-D with UMAP (McInnes et al. 2018, arXiv:1802.03426) as implemented
 * by the npm package `umap-js`. The nearest-neighbour graph is computed exactly here, with
 * cosine similarity (the geometry contrastive training shapes) on the TensorFlow.js backend,
 * and handed to umap-js, which then only lays out the graph; its randomness comes from `seed`.
 *
 * @param features [N, D], N >= 3
 * @returns x, y of each row: length 2N
 */
export function umapProjection(features: tf.Tensor2D, options: UmapProjectionOptions): Float32Array {
  const n = features.shape[0];
  if (n < 3) throw new Error(`umapProjection: needs at least 3 points, got ${n}`);
  const k = Math.min(options.neighbors, n - 1);
  const { values, indices } = tf.tidy(() => {
    const x = tf.div(features, tf.maximum(tf.norm(features, 2, 1, true), 1e-12));
    return tf.topk(tf.matMul(x, x, false, true), k);
  });
  const sims = values.arraySync() as number[][];
  const knnIndices = indices.arraySync() as number[][];
  tf.dispose([values, indices]);
  // Euclidean distance between unit vectors, monotone in cosine similarity; self at distance 0.
  const knnDistances = sims.map((row) => row.map((s) => Math.sqrt(Math.max(0, 2 - 2 * s))));
  const rng = new SeededRng(options.seed);
  const umap = new UMAP({ nComponents: 2, nNeighbors: k, minDist: options.minDist, nEpochs: options.epochs, random: () => rng.next() });
  umap.setPrecomputedKNN(knnIndices, knnDistances);
  // With the graph given, umap-js reads the rows only for their count.
  const embedding = umap.fit(Array.from({ length: n }, () => [0]));
  const out = new Float32Array(2 * n);
  embedding.forEach(([x, y], i) => {
    out[2 * i] = x;
    out[2 * i + 1] = y;
  });
  return out;
}
