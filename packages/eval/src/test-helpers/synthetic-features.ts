import * as tf from '@tensorflow/tfjs';
import { SeededRng } from '@contrastive/framework';

/**
 * Features of `numClasses` Gaussian clusters in `dim` dimensions: class c is centred at
 * `separation` times the c-th unit vector (dim >= numClasses), with unit-variance noise.
 * Labels cycle through the classes. Large separations make the classes linearly separable.
 */
export function gaussianClusters(count: number, numClasses: number, dim: number, separation: number, seed: number) {
  const rng = new SeededRng(seed);
  const values = new Float32Array(count * dim);
  const labels = Int32Array.from({ length: count }, (_, i) => i % numClasses);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < dim; d++) values[i * dim + d] = rng.normal() + (d === labels[i] ? separation : 0);
  }
  return { features: tf.tensor2d(values, [count, dim]), labels };
}

/** A seeded permutation of labels: the same label counts, no relation to the features. */
export function shuffledLabels(labels: Int32Array, seed: number): Int32Array {
  const rng = new SeededRng(seed);
  const out = labels.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
