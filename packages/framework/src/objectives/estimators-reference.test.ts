import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { Estimator, ScoredPairs } from '../contracts';
import { expectClose, leakedTensors, useTestBackend } from '../test-helpers';
import { infoNceLoss } from '../losses/infonce-loss';
import { nceLoss } from '../losses/nce-loss';
import { DvEstimator } from './dv-estimator';
import { InfoNceEstimator } from './infonce-estimator';
import { JsdEstimator } from './jsd-estimator';
import { NceEstimator } from './nce-estimator';
import { flattenLocations, sameImageMask, scoreAgainstLocations } from './location-pairs';
import { DotScore } from '../scores/dot-score';

type Name = 'infonce' | 'jsd' | 'dv' | 'nce';
interface Case {
  name: string; scores: number[][]; positives: number[][]; negatives?: number[][];
  infonce: number; jsd: number; dv: number; nce: number;
  infonceGrad: number[][]; jsdGrad: number[][]; dvGrad: number[][]; nceGrad: number[][];
}
const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../test/fixtures/objectives-reference.json'), 'utf8'),
) as { cases: Case[]; locations: Case & { globals: number[][]; map: number[][][][] } };

const estimators: Record<Name, Estimator> = {
  infonce: new InfoNceEstimator(), jsd: new JsdEstimator(), dv: new DvEstimator(), nce: new NceEstimator(),
};
const names = Object.keys(estimators) as Name[];

const pairsOf = (c: Case, scores: tf.Tensor2D): ScoredPairs => ({
  scores, positives: tf.tensor2d(c.positives), ...(c.negatives ? { negatives: tf.tensor2d(c.negatives) } : {}),
});

beforeAll(async () => {
  await useTestBackend();
});

describe('MI estimators with a positive mask, against numpy', () => {
  const table = fixture.cases.flatMap((c) => names.map((n) => [n, c.name, n, c] as const));
  it.each(table)('%s: value and gradient on "%s"', (_label, _caseName, name, c) => {
    const scores = tf.tensor2d(c.scores);
    const estimator = estimators[name];
    expectClose(estimator.loss(pairsOf(c, scores)).dataSync()[0], c[name], 1e-5);
    const grad = tf.grad((s: tf.Tensor) => estimator.loss(pairsOf(c, s as tf.Tensor2D)))(scores);
    expectClose(grad.arraySync(), c[`${name}Grad`], 1e-4);
  });

  it.each(names)('%s: scores of globals against a feature map\'s locations (flattening order, positives)', (name) => {
    const loc = fixture.locations;
    const pairs = scoreAgainstLocations(new DotScore(), tf.tensor2d(loc.globals), tf.tensor4d(loc.map));
    expectClose(pairs.scores.arraySync(), loc.scores, 1e-5);
    expect(pairs.positives.arraySync()).toEqual(loc.positives);
    expectClose(estimators[name].loss(pairs).dataSync()[0], loc[name], 1e-5);
  });

  it('infonce and nce with one positive per row are the framework\'s infonce and nce losses', () => {
    const c = fixture.cases.find((k) => k.name === 'one positive per row')!;
    const scores = tf.tensor2d(c.scores);
    const index = tf.tensor1d(c.positives.map((row) => row.indexOf(1)), 'int32');
    expectClose(estimators.infonce.loss(pairsOf(c, scores)).dataSync()[0], infoNceLoss(scores, index).dataSync()[0], 1e-6);
    expectClose(estimators.nce.loss(pairsOf(c, scores)).dataSync()[0], nceLoss(scores, index).dataSync()[0], 1e-6);
  });

  it.each(names)('%s: leaves no tensors behind (value and gradient)', (name) => {
    const c = fixture.cases[0];
    const scores = tf.tensor2d(c.scores);
    const positives = tf.tensor2d(c.positives);
    const estimator = estimators[name];
    expect(leakedTensors(() => tf.dispose(estimator.loss({ scores, positives })))).toBe(0);
    expect(leakedTensors(() => tf.dispose(tf.grad((s: tf.Tensor) => estimator.loss({ scores: s as tf.Tensor2D, positives }))(scores)))).toBe(0);
    tf.dispose([scores, positives]);
  });

  it('refuses a mask of another shape, naming the estimator', () => {
    expect(() => estimators.jsd.loss({ scores: tf.zeros([2, 3]) as tf.Tensor2D, positives: tf.zeros([2, 4]) as tf.Tensor2D }))
      .toThrow('jsd estimator: positives mask must be [2,3] like the scores, got [2,4]');
  });
});

describe('location pairs', () => {
  it('sameImageMask: column j is positive for row i exactly when j belongs to image i', () => {
    const [b, l] = [4, 5];
    const mask = sameImageMask(b, l).arraySync();
    for (let i = 0; i < b; i++) {
      for (let j = 0; j < b * l; j++) expect(mask[i][j]).toBe(Math.floor(j / l) === i ? 1 : 0);
    }
  });

  it('flattenLocations: row b·H·W + y·W + x is image b at (y, x)', () => {
    const map = tf.tensor4d(Array.from({ length: 2 * 3 * 2 * 1 }, (_, k) => k), [2, 3, 2, 1]);
    const rows = flattenLocations(map).arraySync();
    const values = map.arraySync();
    for (let b = 0; b < 2; b++) for (let y = 0; y < 3; y++) for (let x = 0; x < 2; x++) expect(rows[b * 6 + y * 2 + x][0]).toBe(values[b][y][x][0]);
  });
});
