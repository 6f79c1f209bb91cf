import * as tf from '@tensorflow/tfjs';
import { expectClose, useTestBackend } from '../test-helpers';
import { gridPool } from './grid-pool';

beforeAll(async () => {
  await useTestBackend();
});

describe('gridPool', () => {
  it('averages overlapping cells of an odd map like adaptive average pooling (3x3 -> 2x2)', () => {
    // Rows and columns 0-1 and 1-2 (floor(i*3/2) .. ceil((i+1)*3/2) - 1).
    const map = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    expectClose(gridPool(map, 2).arraySync(), [[(1 + 2 + 4 + 5) / 4, (2 + 3 + 5 + 6) / 4, (4 + 5 + 7 + 8) / 4, (5 + 6 + 8 + 9) / 4]]);
  });

  it('keeps channels innermost and images apart; grid 1 is global average pooling', () => {
    const map = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const cells = gridPool(map, 2);
    expect(cells.shape).toEqual([2, 12]);
    expectClose(cells.slice([1, 3], [1, 3]).arraySync(), tf.mean(map.slice([1, 0, 2, 0], [1, 2, 2, 3]), [1, 2]).arraySync());
    expectClose(gridPool(map, 1).arraySync(), tf.mean(map, [1, 2]).arraySync());
  });

  it('refuses a grid larger than the map', () => {
    expect(() => gridPool(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, 3)).toThrow('gridPool: grid must be an integer in [1, 2] for a 2x2 map, got 3');
  });
});
