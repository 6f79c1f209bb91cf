import * as tf from '@tensorflow/tfjs';
import { LINEAR_PROBE_DEFAULTS } from '../options/eval-options';
import { gaussianClusters, shuffledLabels } from '../test-helpers/synthetic-features';
import { useTestBackend } from '../test-helpers/use-test-backend';
import { linearProbe, type LinearProbeOptions } from './linear-probe';
import { stratifiedHoldout } from './stratified-split';
import { topkAccuracy } from './topk-accuracy';

beforeAll(useTestBackend);

const options: LinearProbeOptions = { ...LINEAR_PROBE_DEFAULTS, seed: 0 };

describe('linearProbe', () => {
  it('reaches ~100% on linearly separable data', () => {
    const train = gaussianClusters(1200, 6, 16, 8, 1);
    const test = gaussianClusters(600, 6, 16, 8, 2);
    const r = linearProbe(train, test, 6, options);
    expect(r.top1).toBeGreaterThanOrEqual(0.99);
    expect(r.top5).toBe(1);
    expect(r.fitCount + r.holdoutCount).toBe(1200);
    expect(r.holdoutCount).toBe(120); // 10% of each class
    tf.dispose([train.features, test.features]);
  });

  it('stays near chance when the training labels are shuffled', () => {
    const train = gaussianClusters(2000, 4, 16, 3, 3);
    const test = gaussianClusters(2000, 4, 16, 3, 4);
    // Labels shuffled in both splits carry no information about the features.
    const shuffled = (d: typeof train, seed: number) => ({ features: d.features, labels: shuffledLabels(d.labels, seed) });
    const r = linearProbe(shuffled(train, 5), shuffled(test, 6), 4, options);
    // Chance is 1/4; with 2,000 test examples three standard deviations are about ±0.03.
    expect(Math.abs(r.top1 - 0.25)).toBeLessThan(0.04);
    // The same data with the true labels is easy: the probe, not the data, is at chance.
    expect(linearProbe(train, test, 4, options).top1).toBeGreaterThan(0.85);
    tf.dispose([train.features, test.features]);
  });

  it('leaves no tensors behind', () => {
    const train = gaussianClusters(200, 3, 4, 2, 6);
    const test = gaussianClusters(60, 3, 4, 2, 7);
    const before = tf.memory().numTensors;
    linearProbe(train, test, 3, { ...options, epochs: 5 });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([train.features, test.features]);
  });
});

describe('stratifiedHoldout', () => {
  it('holds out the same share of every class, reproducibly, and keeps one per class to fit', () => {
    const labels = Int32Array.from([...Array(50).fill(0), ...Array(30).fill(1), ...Array(2).fill(2), 3]);
    const a = stratifiedHoldout(labels, 0.2, 9);
    const count = (idx: number[], c: number) => idx.filter((i) => labels[i] === c).length;
    expect([0, 1, 2, 3].map((c) => count(a.holdout, c))).toEqual([10, 6, 1, 0]);
    expect([0, 1, 2, 3].map((c) => count(a.fit, c))).toEqual([40, 24, 1, 1]);
    expect(new Set([...a.fit, ...a.holdout]).size).toBe(labels.length);
    expect(stratifiedHoldout(labels, 0.2, 9)).toEqual(a);
    expect(stratifiedHoldout(labels, 0.2, 10).holdout).not.toEqual(a.holdout);
    expect(stratifiedHoldout(labels, 0, 9).holdout).toEqual([]);
  });
});

describe('topkAccuracy', () => {
  it('counts a label among the k highest logits', () => {
    const logits = tf.tensor2d([[0.1, 0.5, 0.4], [0.9, 0.05, 0.05], [0.2, 0.3, 0.5]]);
    const labels = Int32Array.from([2, 0, 0]);
    expect(topkAccuracy(logits, labels, 1)).toBeCloseTo(1 / 3);
    expect(topkAccuracy(logits, labels, 2)).toBeCloseTo(2 / 3);
    expect(topkAccuracy(logits, labels, 5)).toBe(1); // k capped at the class count
    logits.dispose();
  });
});
