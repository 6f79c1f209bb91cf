import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { useTestBackend } from '../test-helpers/use-test-backend';
import { knnClassify } from './knn-classify';

interface KnnCase {
  name: string; train: number[][]; trainLabels: number[]; test: number[][]; testLabels: number[];
  numClasses: number; k: number; temperature: number; predictions: number[]; top1: number; top5: number;
}
const reference = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../eval/test/fixtures/eval-reference.json') /* made by tools/reference/make_eval_reference.py for both packages */, 'utf8')) as { knn: KnnCase[] };

beforeAll(useTestBackend);

const cosDeg = (deg: number) => Math.cos((deg * Math.PI) / 180);
const unit = (deg: number) => [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)];

describe('knnClassify', () => {
  // Train points on the unit circle: class 0 at 0°, class 1 at 10°, 12°, 14° (a close group)
  // and class 2 far away at 180°. The test point at 4° has one class-0 neighbour at 4° away
  // and three class-1 neighbours at 6°, 8° and 10°.
  let train: { features: tf.Tensor2D; labels: Int32Array };
  let test: { features: tf.Tensor2D; labels: Int32Array };
  beforeAll(() => {
    train = { features: tf.tensor2d([unit(0), unit(10), unit(12), unit(14), unit(180)]), labels: Int32Array.from([0, 1, 1, 1, 2]) };
    test = { features: tf.tensor2d([unit(4), unit(178)]), labels: Int32Array.from([0, 2]) };
  });
  afterAll(() => tf.dispose([train.features, test.features]));

  it('with k = 1 returns the label of the nearest neighbour', () => {
    expect(Array.from(knnClassify(train, test, 3, { k: 1, temperature: 0.07 }).predictions)).toEqual([0, 2]);
  });

  it('weights votes by exp(cos / τ): a sharp τ follows the nearest, a flat τ the majority', () => {
    // Votes for the test point at 4° with k = 4 (hand computation, both divided by exp(cos 4° / τ)):
    // class 0: 1; class 1: sum over d in {6°, 8°, 10°} of exp((cos d - cos 4°) / τ).
    // τ = 0.002: class 1 gets 0.218 + 0.026 + 0.002 < 1, the nearest wins; τ = 1: 0.997 + 0.993 + 0.987 > 1.
    const classOneVote = (tau: number) => [6, 8, 10].reduce((s, d) => s + Math.exp((cosDeg(d) - cosDeg(4)) / tau), 0);
    expect(classOneVote(0.002)).toBeLessThan(1);
    expect(classOneVote(1)).toBeGreaterThan(1);
    expect(knnClassify(train, test, 3, { k: 4, temperature: 0.002 }).predictions[0]).toBe(0);
    expect(knnClassify(train, test, 3, { k: 4, temperature: 1 }).predictions[0]).toBe(1);
  });

  it('reports top-1 and top-5 over the test set', () => {
    const r = knnClassify(train, test, 3, { k: 4, temperature: 1 });
    expect(r.top1).toBe(0.5); // 4° goes to class 1 by majority, 178° is right
    expect(r.top5).toBe(1); // three classes: everything is in the top 5
  });

  it.each(reference.knn)('matches the numpy reference: $name', (c) => {
    const tr = { features: tf.tensor2d(c.train), labels: Int32Array.from(c.trainLabels) };
    const te = { features: tf.tensor2d(c.test), labels: Int32Array.from(c.testLabels) };
    const r = knnClassify(tr, te, c.numClasses, { k: c.k, temperature: c.temperature, chunkSize: 7 });
    expect(Array.from(r.predictions)).toEqual(c.predictions);
    expect(r.top1).toBeCloseTo(c.top1, 10);
    expect(r.top5).toBeCloseTo(c.top5, 10);
    tf.dispose([tr.features, te.features]);
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    knnClassify(train, test, 3, { k: 3, temperature: 0.1, chunkSize: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
