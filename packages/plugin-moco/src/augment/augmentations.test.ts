import * as tf from '@tensorflow/tfjs';
import { SeededRng, type Images } from '@contrastive/framework';
import { expectClose, useTestBackend } from '../test-helpers';
import { defaultBlurKernelSize, GaussianBlur, gaussianBlurAugment, gaussianWeights } from './gaussian-blur';
import { RandomGrayscale } from './random-grayscale';

/** [1, 7, 7, 1] zeros with a 1 in the middle. */
function impulse(): Images {
  const v = new Float32Array(49);
  v[24] = 1;
  return tf.tensor4d(v, [1, 7, 7, 1]);
}

describe('gaussian-blur', () => {
  beforeAll(useTestBackend);

  it('has normalised Gaussian weights', () => {
    const w = gaussianWeights(1, 2);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const e = [Math.exp(-2), Math.exp(-0.5), 1, Math.exp(-0.5), Math.exp(-2)];
    const sum = e.reduce((a, b) => a + b, 0);
    expectClose(w, e.map((v) => v / sum), 1e-12);
  });

  it('picks a kernel of 10% of the image side, odd, at least 3 (SimCLR\'s rule)', () => {
    expect(defaultBlurKernelSize(224, 224)).toBe(23);
    expect(defaultBlurKernelSize(28, 28)).toBe(3);
    expect(defaultBlurKernelSize(96, 64)).toBe(7);
  });

  it('turns an impulse into the outer product of the 1-D weights', () => {
    const sigma = 1.3;
    const blur = new GaussianBlur({ p: 1, sigma: [sigma, sigma], kernelSize: 5 });
    const y = blur.apply(impulse(), new SeededRng(1));
    const w = gaussianWeights(sigma, 2);
    const expected = Array.from({ length: 7 }, (_, r) => Array.from({ length: 7 }, (__, c) =>
      (Math.abs(r - 3) <= 2 && Math.abs(c - 3) <= 2 ? w[r - 1] * w[c - 1] : 0)));
    expectClose((y.reshape([7, 7]) as tf.Tensor2D).arraySync(), expected, 1e-6);
    y.dispose();
  });

  it('reflects at the border, so a constant image stays constant', () => {
    const blur = new GaussianBlur({ p: 1, sigma: [2, 2], kernelSize: 5 });
    const x = tf.fill([2, 6, 5, 3], 0.7) as Images;
    const y = blur.apply(x, new SeededRng(2));
    expectClose(Array.from(y.dataSync()), new Array(180).fill(0.7), 1e-6);
    // A ramp 0..4 along the width, padded by reflection to [1 | 0 1 2 3 4 | 3]: the inner
    // values are kept (a symmetric kernel preserves a linear ramp), the ends become
    // w0*1 + w1*0 + w0*1 = 2 w0 and w0*3 + w1*4 + w0*3 = 4 - 2 w0 (as 2 w0 + w1 = 1).
    const ramp = tf.tile(tf.reshape(tf.range(0, 5), [1, 1, 5, 1]), [1, 4, 1, 1]) as Images;
    const r = new GaussianBlur({ p: 1, sigma: [1, 1], kernelSize: 3 }).apply(ramp, new SeededRng(3));
    const [w0] = gaussianWeights(1, 1);
    expectClose((r.slice([0, 0, 0, 0], [1, 1, 5, 1]).reshape([5]) as tf.Tensor1D).arraySync(), [2 * w0, 1, 2, 3, 4 - 2 * w0], 1e-5);
    tf.dispose([x, y, ramp, r]);
  });

  it('blurs each example with probability p, drawing the same numbers whatever p is', () => {
    const x = tf.randomUniform([16, 7, 7, 1], 0, 1, 'float32', 4) as Images;
    const none = new GaussianBlur({ p: 0, sigma: [0.1, 2] }).apply(x, new SeededRng(5));
    expectClose(Array.from(none.dataSync()), Array.from(x.dataSync()), 0);
    const rngA = new SeededRng(6);
    const rngB = new SeededRng(6);
    const some = new GaussianBlur({ p: 0.5, sigma: [0.5, 2] }).apply(x, rngA);
    new GaussianBlur({ p: 0.9, sigma: [0.5, 2] }).apply(x, rngB).dispose();
    expect(rngA.next()).toBe(rngB.next());
    const changed = tf.tidy(() => tf.greater(tf.max(tf.abs(tf.sub(some, x)), [1, 2, 3]), 1e-6).arraySync() as number[]);
    expect(changed.filter(Boolean).length).toBeGreaterThan(2);
    expect(changed.filter(Boolean).length).toBeLessThan(14);
    tf.dispose([x, none, some]);
  });

  it('refuses an even kernel and a reversed sigma range', () => {
    const ctx = {} as never;
    expect(() => gaussianBlurAugment.create({ p: 1, sigma: [0.1, 2], kernelSize: 4 }, ctx)).toThrow('gaussian-blur: kernelSize must be odd (got 4)');
    expect(() => gaussianBlurAugment.create({ p: 1, sigma: [2, 0.1] }, ctx)).toThrow(/sigma must be \[min, max\]/);
  });
});

describe('random-grayscale', () => {
  beforeAll(useTestBackend);

  it('replaces RGB examples by their luma in all channels', () => {
    const x = tf.tensor4d([[[[1, 0, 0], [0, 1, 0]], [[0, 0, 1], [0.5, 0.5, 0.5]]]]);
    const y = new RandomGrayscale({ p: 1 }).apply(x, new SeededRng(1));
    const grey = (v: number) => [v, v, v];
    expectClose(y.arraySync(), [[[grey(0.299), grey(0.587)], [grey(0.114), grey(0.5)]]], 1e-6);
    tf.dispose([x, y]);
  });

  it('leaves grey images and unselected examples unchanged', () => {
    const grey = tf.randomUniform([3, 4, 4, 1], 0, 1, 'float32', 2) as Images;
    const g = new RandomGrayscale({ p: 1 }).apply(grey, new SeededRng(2));
    expectClose(Array.from(g.dataSync()), Array.from(grey.dataSync()), 0);
    const rgb = tf.randomUniform([3, 4, 4, 3], 0, 1, 'float32', 3) as Images;
    const r = new RandomGrayscale({ p: 0 }).apply(rgb, new SeededRng(3));
    expectClose(Array.from(r.dataSync()), Array.from(rgb.dataSync()), 0);
    tf.dispose([grey, g, rgb, r]);
  });
});
