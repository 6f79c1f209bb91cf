import * as tf from '@tensorflow/tfjs';
import type { Augmentation } from '../contracts';
import { leakedTensors, useTestBackend } from '../test-helpers/use-test-backend';
import { SeededRng } from '../util/rng';
import { ColorJitter } from './color-jitter';
import { composeAugmentations } from './compose';
import { Cutout } from './cutout';
import { RandomFlip } from './flip';
import { GaussianNoise } from './gaussian-noise';
import { RandomResizedCrop } from './random-resized-crop';
import { RandomTranslate } from './translate';
import { drawMask } from './per-example';

/** A smooth batch with every pixel strictly inside (0, 1), so zeroed pixels are detectable. */
function batch(b = 16, h = 32, w = 32, c = 1): tf.Tensor4D {
  const values = new Float32Array(b * h * w * c);
  for (let i = 0; i < values.length; i++) values[i] = 0.1 + 0.8 * (0.5 + 0.5 * Math.sin(i * 0.37 + (i % 7)));
  return tf.tensor4d(values, [b, h, w, c]);
}

const crop = () => new RandomResizedCrop({ scale: [0.2, 1], ratio: [0.75, 4 / 3] });
/** [name, instance with p = 1 (always applied), instance with the default options]. */
const cases: [string, Augmentation, Augmentation][] = [
  ['random-resized-crop', crop(), crop()],
  ['flip', new RandomFlip({ p: 1 }), new RandomFlip({ p: 0.5 })],
  ['translate', new RandomTranslate({ maxShift: 4 }), new RandomTranslate({ maxShift: 4 })],
  ['gaussian-noise', new GaussianNoise({ std: 0.05, p: 1 }), new GaussianNoise({ std: 0.05, p: 1 })],
  ['color-jitter', new ColorJitter({ brightness: 0.4, contrast: 0.4, p: 1 }), new ColorJitter({ brightness: 0.4, contrast: 0.4, p: 0.8 })],
  ['cutout', new Cutout({ size: 8, p: 1 }), new Cutout({ size: 8, p: 0.5 })],
  ['composed', composeAugmentations([crop(), new RandomFlip({ p: 1 }), new ColorJitter({ brightness: 0.4, contrast: 0.4, p: 1 })]),
    composeAugmentations([crop(), new RandomFlip({ p: 0.5 }), new ColorJitter({ brightness: 0.4, contrast: 0.4, p: 0.8 })])],
];

beforeAll(useTestBackend);

describe.each(cases)('%s', (_name, aug, withDefaults) => {
  for (const shape of [[16, 32, 32, 1], [4, 20, 24, 3]] as const) {
    it(`keeps shape ${shape.join('x')} and the [0, 1] range, and changes the images`, () => {
      const x = batch(...shape);
      const y = aug.apply(x, new SeededRng(7));
      expect(y.shape).toEqual(x.shape);
      expect(y.dtype).toBe('float32');
      expect(tf.min(y).arraySync()).toBeGreaterThanOrEqual(0);
      expect(tf.max(y).arraySync()).toBeLessThanOrEqual(1);
      expect(tf.max(tf.abs(tf.sub(y, x))).arraySync()).toBeGreaterThan(0.01);
      tf.dispose([x, y]);
    });
  }

  it('is deterministic for the same rng state and varies with it', () => {
    const x = batch();
    const rng = new SeededRng(11);
    const state = rng.getState();
    const a = withDefaults.apply(x, rng);
    const b = withDefaults.apply(x, rng);
    rng.setState(state);
    const again = withDefaults.apply(x, rng);
    expect(Array.from(again.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(b.dataSync())).not.toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b, again]);
  });

  it('draws independently per example', () => {
    const one = batch(1);
    const x = tf.tile(one, [8, 1, 1, 1]) as tf.Tensor4D;
    const y = withDefaults.apply(x, new SeededRng(4));
    const rows = tf.unstack(y).map((t) => Array.from(t.dataSync()));
    expect(new Set(rows.map((r) => r.join(','))).size).toBeGreaterThan(1);
    tf.dispose([one, x, y]);
  });

  it('leaks no tensors', () => {
    const x = batch();
    expect(leakedTensors(() => aug.apply(x, new SeededRng(1)).dispose())).toBe(0);
    x.dispose();
  });
});

describe('specific behaviour', () => {
  it('flip with p=1 equals tf.reverse on the width axis; p=0 is the identity', () => {
    const x = batch(4, 6, 5, 3);
    const y = new RandomFlip({ p: 1 }).apply(x, new SeededRng(1));
    expect(Array.from(y.dataSync())).toEqual(Array.from(tf.reverse(x, 2).dataSync()));
    const z = new RandomFlip({ p: 0 }).apply(x, new SeededRng(1));
    expect(Array.from(z.dataSync())).toEqual(Array.from(x.dataSync()));
  });

  it('flip with p=0.5 mirrors exactly the examples its rng draws chose and copies the others', () => {
    const x = batch(16, 28, 28, 1);
    const chosen = drawMask(new SeededRng(5), 16, 0.5);
    expect(new Set(chosen).size).toBe(2); // both kinds present, or the test proves little
    const y = new RandomFlip({ p: 0.5 }).apply(x, new SeededRng(5));
    const reversed = tf.reverse(x, 2);
    chosen.forEach((flipped, b) => {
      const expected = flipped ? reversed : x;
      expect(Array.from(y.slice(b, 1).dataSync())).toEqual(Array.from(expected.slice(b, 1).dataSync()));
    });
    tf.dispose([x, y, reversed]);
  });

  it('cutout zeroes exactly size*size pixels per channel when the square is fully inside', () => {
    const [b, h, w, size] = [64, 32, 32, 8];
    const x = batch(b, h, w, 2);
    const y = new Cutout({ size, p: 1 }).apply(x, new SeededRng(3)).arraySync() as number[][][][];
    let inside = 0;
    let channelMismatch = 0;
    y.forEach((img) => {
      const zeros: [number, number][] = [];
      img.forEach((row, r) => row.forEach((px, c) => {
        if (px[0] === 0) zeros.push([r, c]);
        if ((px[1] === 0) !== (px[0] === 0)) channelMismatch++; // all channels of a pixel are cut
      }));
      expect(zeros.length).toBeGreaterThan(0);
      expect(zeros.length).toBeLessThanOrEqual(size * size);
      const rows = zeros.map((z) => z[0]);
      const cols = zeros.map((z) => z[1]);
      const [r0, r1, c0, c1] = [Math.min(...rows), Math.max(...rows), Math.min(...cols), Math.max(...cols)];
      expect(zeros.length).toBe((r1 - r0 + 1) * (c1 - c0 + 1)); // one rectangle
      if (r0 > 0 && c0 > 0 && r1 < h - 1 && c1 < w - 1) {
        inside++;
        expect(zeros.length).toBe(size * size);
      }
    });
    expect(channelMismatch).toBe(0);
    expect(inside).toBeGreaterThan(10);
  });

  it('cutout and noise with p=0 leave the images unchanged', () => {
    const x = batch();
    for (const aug of [new Cutout({ size: 8, p: 0 }), new GaussianNoise({ std: 0.1, p: 0 }), new ColorJitter({ brightness: 0.4, contrast: 0.4, p: 0 })]) {
      const y = aug.apply(x, new SeededRng(5));
      expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
      y.dispose();
    }
  });

  it('translate shifts whole pixels with zero padding', () => {
    const x = batch(32, 10, 10, 1);
    const y = new RandomTranslate({ maxShift: 3 }).apply(x, new SeededRng(8));
    const xs = x.arraySync();
    (y.arraySync() as number[][][][]).forEach((img, n) => {
      // Find the shift that explains the output and check every pixel against it.
      const match = [-3, -2, -1, 0, 1, 2, 3].flatMap((dy) => [-3, -2, -1, 0, 1, 2, 3].map((dx) => [dy, dx]))
        .filter(([dy, dx]) => img.every((row, r) => row.every((px, c) => {
          const [sr, sc] = [r - dy, c - dx];
          const src = sr >= 0 && sr < 10 && sc >= 0 && sc < 10 ? xs[n][sr][sc][0] : 0;
          return px[0] === src;
        })));
      expect(match).toHaveLength(1);
    });
  });

  it('random-resized-crop with scale [1, 1] and ratio [1, 1] is the identity on a square image', () => {
    const x = batch(3, 12, 12, 1);
    const y = new RandomResizedCrop({ scale: [1, 1], ratio: [1, 1] }).apply(x, new SeededRng(1));
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(x.dataSync()[i], 5));
    expect(() => new RandomResizedCrop({ scale: [0.9, 0.2], ratio: [1, 1] })).toThrow(/scale/);
  });

  it('an empty composition returns a copy the caller may dispose', () => {
    const x = batch(2);
    const y = composeAugmentations([]).apply(x, new SeededRng(1));
    expect(y).not.toBe(x);
    y.dispose();
    expect(x.isDisposed).toBe(false);
  });
});
