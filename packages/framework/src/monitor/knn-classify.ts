import * as tf from '@tensorflow/tfjs';
import type { LabelledFeatures } from './labelled-features';

/** Options of {@link knnClassify}. */
export interface KnnOptions {
  /** Neighbours that vote (capped at the number of training examples). */
  k: number;
  /**
   * τ of the vote weights exp(s/τ), s the cosine similarity. 0.07 as in InstDisc
   * (Wu et al. 2018, arXiv:1805.01978) and solo-learn's kNN callback.
   */
  temperature: number;
  /** Test rows per similarity block; bounds memory at chunk × N floats. */
  chunkSize?: number;
}

/** Predictions of a weighted kNN classifier and their accuracy. */
export interface KnnResult {
  top1: number;
  top5: number;
  /** Class ranked first for every test example. */
  predictions: Int32Array;
  seconds: number;
}

/**
 * Weighted k-nearest-neighbour classification with cosine similarity, as in InstDisc
 * (arXiv:1805.01978, section 3.4) and solo-learn: features are L2-normalised, the k train
 * examples most similar to a test example vote for their class with weight exp(s_i / τ),
 * and classes are ranked by their summed weight (ties: lower class index first). Top-5
 * counts a test example as correct when its class is among the five best-ranked classes.
 *
 * @param train features [N, D] of the labelled examples, labels in [0, numClasses)
 * @param test features [M, D], labels in [0, numClasses)
 */
export function knnClassify(train: LabelledFeatures, test: LabelledFeatures, numClasses: number, options: KnnOptions): KnnResult {
  const started = performance.now();
  const [n, d] = train.features.shape;
  const [m, dt] = test.features.shape;
  if (d !== dt) throw new Error(`knnClassify: train features have ${d} dimensions, test ${dt}`);
  if (n === 0) throw new Error('knnClassify: no training examples');
  const k = Math.min(options.k, n);
  const chunk = options.chunkSize ?? Math.max(1, Math.floor(16_000_000 / n));
  const bank = tf.tidy(() => l2Normalize(train.features));
  const predictions = new Int32Array(m);
  let hit1 = 0;
  let hit5 = 0;
  const votes = new Float64Array(numClasses);
  try {
    for (let start = 0; start < m; start += chunk) {
      const size = Math.min(chunk, m - start);
      const { values, indices } = tf.tidy(() => {
        const q = l2Normalize(test.features.slice([start, 0], [size, d]));
        return tf.topk(tf.matMul(q, bank, false, true), k);
      });
      const sims = values.dataSync();
      const idx = indices.dataSync();
      tf.dispose([values, indices]);
      for (let r = 0; r < size; r++) {
        votes.fill(0);
        // Subtracting the best similarity keeps exp() finite for small τ; the ranking is unchanged.
        const top = sims[r * k];
        for (let j = 0; j < k; j++) {
          votes[train.labels[idx[r * k + j]]] += Math.exp((sims[r * k + j] - top) / options.temperature);
        }
        const ranked = rankClasses(votes);
        const truth = test.labels[start + r];
        predictions[start + r] = ranked[0];
        if (ranked[0] === truth) hit1 += 1;
        if (ranked.slice(0, 5).includes(truth)) hit5 += 1;
      }
    }
  } finally {
    bank.dispose();
  }
  return { top1: m ? hit1 / m : 0, top5: m ? hit5 / m : 0, predictions, seconds: (performance.now() - started) / 1000 };
}

/** Rows divided by their L2 norm (zero rows stay zero). */
function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.maximum(tf.norm(x, 2, 1, true), 1e-12));
}

/** Class indices by descending vote; equal votes keep the lower index first. */
function rankClasses(votes: Float64Array): number[] {
  return Array.from(votes.keys()).sort((a, b) => votes[b] - votes[a] || a - b);
}
