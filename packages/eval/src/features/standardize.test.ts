import * as tf from '@tensorflow/tfjs';
import { useTestBackend } from '../test-helpers/use-test-backend';
import { standardizeSplits } from './standardize';

beforeAll(useTestBackend);

describe('standardizeSplits', () => {
  it('z-scores both splits with the train statistics; constant columns become 0', () => {
    // Column 0: train [1, 3] -> mean 2, std 1 (population). Column 1: constant 5.
    const train = tf.tensor2d([[1, 5], [3, 5]]);
    const test = tf.tensor2d([[2, 5], [6, 7]]);
    const out = standardizeSplits(train, test);
    expect(out.train.arraySync()).toEqual([[-1, 0], [1, 0]]);
    expect(out.test.arraySync()).toEqual([[0, 0], [4, 2]]);
    tf.dispose([train, test, out.train, out.test]);
  });

  it('refuses splits of different widths', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    const b = tf.zeros([2, 4]) as tf.Tensor2D;
    expect(() => standardizeSplits(a, b)).toThrow(/train has 3 dimensions, test 4/);
    tf.dispose([a, b]);
  });
});
