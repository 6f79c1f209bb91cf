import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { leakedTensors, useTestBackend } from '../test-helpers';
import { rgbToLab } from './rgb-to-lab';
import { LabView } from './lab-views';

/** Made by tools/reference/make_cmc_reference.py: published Lab values and the formula in numpy. */
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../../test/fixtures/lab-reference.json'), 'utf8')) as {
  published: { rgb: number[]; lab: number[] }[];
  computed: { rgb: number[]; lab: number[] }[];
};

/** Absolute difference at most 1e-3 in every L, a, b (not relative: L reaches 100). */
function expectWithin(actual: number[][], expected: number[][], tol = 1e-3): void {
  actual.forEach((row, i) => row.forEach((v, k) => {
    if (!(Math.abs(v - expected[i][k]) <= tol)) throw new Error(`colour ${i}, channel ${k}: got ${v}, expected ${expected[i][k]}`);
  }));
}

function labOf(colours: number[][]): number[][] {
  // The colours as one image row [1, 1, n, 3].
  const x = tf.tensor4d(colours.flat(), [1, 1, colours.length, 3]);
  const lab = rgbToLab(x);
  const out = (lab.reshape([colours.length, 3]).arraySync() as number[][]);
  tf.dispose([x, lab]);
  return out;
}

describe('rgbToLab', () => {
  beforeAll(useTestBackend);

  it('gives the published Lab values of the sRGB primaries, secondaries, white and black to 1e-3', () => {
    expectWithin(labOf(fixture.published.map((p) => p.rgb)), fixture.published.map((p) => p.lab));
  });

  it('matches the numpy reference on random and dark colours (both branches of sRGB and f) to 1e-3', () => {
    expectWithin(labOf(fixture.computed.map((p) => p.rgb)), fixture.computed.map((p) => p.lab));
  });

  it('refuses images that are not 3-channel', () => {
    const grey = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    expect(() => rgbToLab(grey)).toThrow('rgbToLab: expected sRGB images [B, H, W, 3], got [1, 2, 2, 1]');
    grey.dispose();
  });

  it('leaks no tensor', () => {
    const x = tf.randomUniform([2, 3, 3, 3]) as tf.Tensor4D;
    expect(leakedTensors(() => tf.dispose(rgbToLab(x)))).toBe(0);
    x.dispose();
  });
});

describe('lab-l and lab-ab views', () => {
  beforeAll(useTestBackend);

  it('split Lab into L / 100 [B, H, W, 1] and ab / 128 [B, H, W, 2]', () => {
    const red = tf.tensor4d([1, 0, 0], [1, 1, 1, 3]);
    const l = new LabView('l', 'unit').apply(red);
    const ab = new LabView('ab', 'unit').apply(red);
    const rawAb = new LabView('ab', 'raw').apply(red);
    expect(l.shape).toEqual([1, 1, 1, 1]);
    expect(ab.shape).toEqual([1, 1, 1, 2]);
    expectWithin([[l.dataSync()[0] * 100]], [[53.2408]]);
    expectWithin([Array.from(ab.dataSync()).map((v) => v * 128)], [[80.0925, 67.2032]]);
    expectWithin([Array.from(rawAb.dataSync())], [[80.0925, 67.2032]]);
    tf.dispose([red, l, ab, rawAb]);
  });

  it('declare their shapes and refuse grey inputs by name', () => {
    expect(new LabView('ab', 'unit').outputShape([8, 6, 3])).toEqual([8, 6, 2]);
    expect(() => new LabView('l', 'unit').outputShape([28, 28, 1])).toThrow('view "lab-l" converts sRGB to CIE Lab and needs 3-channel images; the input has 1 channel(s)');
  });
});
