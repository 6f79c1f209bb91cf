import * as tf from '@tensorflow/tfjs';
import type { Encoder, ImageDataset } from '../contracts';

/** Global representations of every image of a data set, in batches, eval mode. */
export function embed(encoder: Encoder, data: ImageDataset, batchSize = 256): tf.Tensor2D {
  const [h, w, c] = data.shape;
  const per = h * w * c;
  const parts: tf.Tensor2D[] = [];
  for (let i = 0; i < data.count; i += batchSize) {
    const n = Math.min(batchSize, data.count - i);
    parts.push(tf.tidy(() => {
      const x = tf.tensor4d(data.images.subarray(i * per, (i + n) * per), [n, h, w, c]);
      return encoder.encode(x, { training: false }).global;
    }));
  }
  const all = tf.concat(parts, 0) as tf.Tensor2D;
  tf.dispose(parts);
  return all;
}

/**
 * Top-1 accuracy of a cosine-similarity k-nearest-neighbour vote (majority, ties to the
 * nearest): test features against train features. A plain, independent measure of how well
 * a representation separates classes, for tests only (the eval package has the full one).
 */
export function knnAccuracy(train: tf.Tensor2D, trainLabels: Int32Array, test: tf.Tensor2D, testLabels: Int32Array, k = 5): number {
  const neighbours = tf.tidy(() => {
    const a = tf.div(test, tf.add(tf.norm(test, 2, 1, true), 1e-8));
    const b = tf.div(train, tf.add(tf.norm(train, 2, 1, true), 1e-8));
    return tf.topk(tf.matMul(a, b, false, true), k).indices;
  });
  const idx = neighbours.arraySync() as number[][];
  neighbours.dispose();
  let correct = 0;
  idx.forEach((row, i) => {
    const votes = new Map<number, number>();
    for (const j of row) votes.set(trainLabels[j], (votes.get(trainLabels[j]) ?? 0) + 1);
    let best = trainLabels[row[0]];
    for (const [label, n] of votes) if (n > (votes.get(best) ?? 0)) best = label;
    if (best === testLabels[i]) correct += 1;
  });
  return correct / idx.length;
}
