import * as tf from '@tensorflow/tfjs';
import type { Augmentation, HostImages } from '../contracts';
import { expectClose } from '../test-helpers';
import { useTestBackend } from '../test-helpers/use-test-backend';
import { SeededRng } from '../util/rng';
import { ColorJitter } from './color-jitter';
import { composeAugmentations } from './compose';
import { Cutout } from './cutout';
import { RandomFlip } from './flip';
import { cropResizeBilinearInto } from './host-pixels';
import { RandomResizedCrop } from './random-resized-crop';

beforeAll(useTestBackend);

/** A batch with values in (0, 1), and some at the range ends so that clipping matters. */
function pixels(shape: [number, number, number, number]): HostImages {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = i % 11 === 0 ? 1 : i % 13 === 0 ? 0 : 0.5 + 0.45 * Math.sin(i * 0.61);
  return { data, shape };
}

const crop = () => new RandomResizedCrop({ scale: [0.2, 1], ratio: [0.75, 4 / 3] });
const jitter = (p = 0.8) => new ColorJitter({ brightness: 0.4, contrast: 0.4, p });
const steps: [string, () => Augmentation][] = [
  ['random-resized-crop', crop],
  ['flip', () => new RandomFlip({ p: 0.5 })],
  ['color-jitter', () => jitter()],
];

/** The tensor path: each step's `apply`, in order. */
function onTensors(augs: Augmentation[], x: HostImages, rng: SeededRng): Float32Array {
  return tf.tidy(() => {
    const out = augs.reduce((acc, a) => a.apply(acc, rng), tf.tensor4d(x.data, x.shape));
    return out.dataSync() as Float32Array;
  });
}

describe('host-pixel augmentations give the tensor ops\' values and draw the same random numbers', () => {
  for (const shape of [[16, 28, 28, 1], [5, 9, 12, 3]] as [number, number, number, number][]) {
    test.each(steps)(`%s on ${shape.join('x')}`, (_name, make) => {
      const aug = make();
      const [rngT, rngH] = [new SeededRng(3), new SeededRng(3)];
      const expected = onTensors([aug], pixels(shape), rngT);
      const x = pixels(shape);
      const got = aug.applyToPixels!(x, rngH);
      expect(got.shape).toEqual(shape);
      expectClose(Array.from(got.data), Array.from(expected), 2e-6);
      expect(rngH.next()).toBe(rngT.next());
      expect(Array.from(got.data).some((v, i) => v !== pixels(shape).data[i])).toBe(true);
    });
  }
});

describe('composeAugmentations', () => {
  test('runs host-capable leading steps on the host, then the tensor-only rest: same views as all tensor ops', () => {
    const augs = [crop(), jitter(1), new Cutout({ size: 6, p: 1 }), new RandomFlip({ p: 0.5 })];
    const x = pixels([8, 28, 28, 1]);
    const expected = onTensors(augs, x, new SeededRng(9));
    const composed = composeAugmentations(augs);
    expect(composed.applyToPixels).toBeUndefined(); // cutout has no host path
    const got = tf.tidy(() => composed.apply(tf.tensor4d(x.data, x.shape), new SeededRng(9)).dataSync());
    expectClose(Array.from(got), Array.from(expected), 2e-6);
  });

  test('a pipeline of host-capable steps is host-capable and leaves its input tensor intact', () => {
    const composed = composeAugmentations([crop(), new RandomFlip({ p: 0.5 }), jitter()]);
    expect(typeof composed.applyToPixels).toBe('function');
    const x = tf.tensor4d(pixels([4, 10, 10, 1]).data, [4, 10, 10, 1]);
    const before = Array.from(x.dataSync());
    tf.dispose(composed.apply(x, new SeededRng(1)));
    expect(Array.from(x.dataSync())).toEqual(before);
    x.dispose();
  });
});

test.each([[1], [2]])('cropResizeBilinearInto matches tf.image.cropAndResize on boxes inside the image (%p channels)', (channels) => {
  const x = pixels([3, 7, 9, channels]);
  const boxes = [[0.1, 0.2, 0.7, 0.9], [0, 0, 1, 1], [1 / 6, 0.25, 0.5, 0.5]];
  const expected = tf.tidy(() => tf.image.cropAndResize(tf.tensor4d(x.data, x.shape), tf.tensor2d(boxes), tf.tensor1d([0, 1, 2], 'int32'), [7, 9]).dataSync());
  const out = new Float32Array(x.data.length);
  // Example b of the source into slot b: the test reads slot b of `expected`, which sampled example b.
  boxes.forEach((box, b) => cropResizeBilinearInto(x, out, b, Float32Array.from(box)));
  expectClose(Array.from(out), Array.from(expected), 1e-6);
  // A hand-computed sample: box row y1 = 0.1 -> y = 0.6 between rows 0 and 1; x1 = 0.2 -> x = 1.6.
  const at = (r: number, c: number, ch: number) => x.data[(r * 9 + c) * channels + ch];
  const upper = at(0, 1, 0) + (at(0, 2, 0) - at(0, 1, 0)) * 0.6;
  const lower = at(1, 1, 0) + (at(1, 2, 0) - at(1, 1, 0)) * 0.6;
  expect(out[0]).toBeCloseTo(upper + (lower - upper) * 0.6, 6);
});

test.each([[1], [3]])('cropResizeBilinearInto with clampTo01 writes the unclamped values clamped to [0, 1] (%p channels)', (channels) => {
  const base = pixels([2, 6, 5, channels]);
  // Values in [-1.5, 1.5], so both bounds are hit.
  const x = { data: base.data.map((v) => v * 3 - 1.5), shape: base.shape };
  const box = Float32Array.from([0.1, 0.15, 0.9, 0.8]);
  const plainOut = new Float32Array(x.data.length);
  const clampedOut = new Float32Array(x.data.length);
  for (let b = 0; b < 2; b++) {
    cropResizeBilinearInto(x, plainOut, b, box);
    cropResizeBilinearInto(x, clampedOut, b, box, true);
  }
  expect(plainOut.some((v) => v < 0) && plainOut.some((v) => v > 1)).toBe(true);
  expect(Array.from(clampedOut)).toEqual(Array.from(plainOut, (v) => Math.min(1, Math.max(0, v))));
});
