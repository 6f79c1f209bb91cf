import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { useTestBackend } from '../test-helpers/use-test-backend';
import { softmaxCrossEntropy } from './linear-classifier';
import { trainLogisticRegression } from './logistic-regression';

interface LogisticCase {
  name: string; x: number[][]; y: number[]; numClasses: number; weightDecay: number;
  weights: number[][]; biasCentred: number[]; probabilities: number[][]; objective: number;
}
const reference = JSON.parse(fs.readFileSync(path.join(__dirname, '../../test/fixtures/eval-reference.json'), 'utf8')) as { logistic: LogisticCase[] };

beforeAll(useTestBackend);

describe('softmaxCrossEntropy', () => {
  it('matches a hand computation', () => {
    // Row 1: logits [0, ln 3] -> p = [1/4, 3/4], label 1 -> -ln(3/4); row 2: [0, 0], label 0 -> ln 2.
    const loss = softmaxCrossEntropy(tf.tensor2d([[0, Math.log(3)], [0, 0]]), tf.tensor1d([1, 0], 'int32'));
    expect(loss.dataSync()[0]).toBeCloseTo((-Math.log(0.75) + Math.log(2)) / 2, 6);
    loss.dispose();
  });
});

describe('trainLogisticRegression', () => {
  it.each(reference.logistic)('reaches the optimum numpy finds by Newton\'s method: $name', (c) => {
    const x = tf.tensor2d(c.x);
    const labels = Int32Array.from(c.y);
    const y = tf.tensor1d(labels, 'int32');
    // Full batches and no held-out set: plain deterministic Adam on the penalised objective.
    const fit = trainLogisticRegression({ features: x, labels }, null, c.numClasses, {
      epochs: 600, batchSize: c.x.length, minStepsPerEpoch: 1, lr: 0.02, weightDecay: c.weightDecay, patience: 1, lrDrops: 0, seed: 1,
    });
    const objective = tf.tidy(() => tf.add(softmaxCrossEntropy(fit.classifier.logits(x), y),
      tf.mul(c.weightDecay / 2, tf.sum(tf.square(fit.classifier.weights)))).dataSync()[0]);
    expect(objective).toBeGreaterThan(c.objective - 1e-5); // nothing beats the optimum
    expect(objective).toBeLessThan(c.objective + 1e-5);
    const probs = tf.tidy(() => tf.softmax(fit.classifier.logits(x)));
    const got = probs.arraySync() as number[][];
    got.forEach((row, i) => row.forEach((p, j) => expect(Math.abs(p - c.probabilities[i][j])).toBeLessThan(5e-3)));
    const w = fit.classifier.weights.arraySync();
    w.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - c.weights[i][j])).toBeLessThan(2e-2)));
    const bias = Array.from(fit.classifier.bias.dataSync());
    const mean = bias.reduce((a, v) => a + v, 0) / bias.length;
    bias.forEach((v, j) => expect(Math.abs(v - mean - c.biasCentred[j])).toBeLessThan(2e-2));
    tf.dispose([x, y, probs]);
    fit.classifier.dispose();
  });

  it('a larger weight decay shrinks the weights', () => {
    const c = reference.logistic[0];
    const x = tf.tensor2d(c.x);
    const norm = (weightDecay: number) => {
      const fit = trainLogisticRegression({ features: x, labels: Int32Array.from(c.y) }, null, c.numClasses,
        { epochs: 100, batchSize: 90, minStepsPerEpoch: 1, lr: 0.05, weightDecay, patience: 5, lrDrops: 0, seed: 0 });
      const n = tf.tidy(() => tf.norm(fit.classifier.weights).dataSync()[0]);
      fit.classifier.dispose();
      return n;
    };
    expect(norm(1)).toBeLessThan(0.5 * norm(0.01));
    x.dispose();
  });

  it('stops early on a held-out set it cannot improve on, keeping the best epoch', () => {
    const n = 400;
    const x = tf.randomNormal([n, 8], 0, 1, 'float32', 3) as tf.Tensor2D;
    const noise = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 4); // labels unrelated to x
    const fit = trainLogisticRegression({ features: x.slice(0, 300), labels: noise.slice(0, 300) },
      { features: x.slice(300, 100), labels: noise.slice(300) }, 4,
      { epochs: 500, batchSize: 32, lr: 0.05, weightDecay: 0, patience: 3, lrDrops: 1, seed: 0 });
    expect(fit.epochsRun).toBeLessThan(500);
    expect(fit.bestEpoch).toBeLessThanOrEqual(fit.epochsRun);
    expect(fit.bestHoldoutLoss).not.toBeNull();
    fit.classifier.dispose();
    x.dispose();
  });

  it('returns the weights of its best held-out epoch, not its last, when the two differ', () => {
    // Labels unrelated to the features and a large step: the held-out loss is lowest early
    // and rises as the probe overfits, so the last epoch is not the best.
    const x = tf.randomNormal([240, 16], 0, 1, 'float32', 5) as tf.Tensor2D;
    const labels = Int32Array.from({ length: 240 }, (_, i) => (i * 7919) % 3);
    const holdout = { features: x.slice(200, 40) as tf.Tensor2D, labels: labels.slice(200) };
    const fit = trainLogisticRegression({ features: x.slice(0, 200) as tf.Tensor2D, labels: labels.slice(0, 200) }, holdout, 3,
      { epochs: 40, batchSize: 16, lr: 0.2, weightDecay: 0, patience: 100, lrDrops: 0, seed: 1 });
    expect(fit.epochsRun).toBe(40);
    expect(fit.bestEpoch).toBeLessThan(fit.epochsRun);
    const returnedLoss = softmaxCrossEntropy(fit.classifier.logits(holdout.features), tf.tensor1d(holdout.labels, 'int32')).dataSync()[0];
    expect(returnedLoss).toBeCloseTo(fit.bestHoldoutLoss!, 5);
    fit.classifier.dispose();
    x.dispose();
  });

  it('leaves no tensor behind but the classifier', () => {
    const x = tf.randomNormal([64, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
    const labels = Int32Array.from({ length: 64 }, (_, i) => i % 3);
    const before = tf.memory().numTensors;
    const fit = trainLogisticRegression({ features: x, labels }, { features: x, labels }, 3,
      { epochs: 20, batchSize: 16, lr: 0.1, weightDecay: 1e-3, patience: 2, lrDrops: 2, seed: 0 });
    fit.classifier.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
