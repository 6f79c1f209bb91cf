import * as tf from '@tensorflow/tfjs';
import { SeededRng } from '@contrastive/framework';
import { expectClose, useTestBackend } from '../test-helpers';
import { GruContext, gruStep } from './gru-context';
import { MaskedConvContext } from './masked-conv-context';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const ref = require('../../test/fixtures/cpc-reference.json').gru;

/** A copy of `x` whose steps (axis 1) from `from` on are replaced by other values. */
function changeFuture(x: tf.Tensor, from: number, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const mask = tf.less(tf.range(0, x.shape[1]!, 1, 'int32'), from);
    const shape = x.shape.map((d, i) => (i === 1 ? d : 1));
    const keep = tf.reshape(mask, shape);
    return tf.where(tf.broadcastTo(keep, x.shape), x, tf.randomNormal(x.shape, 0, 3, 'float32', seed));
  });
}

describe('GRU context network', () => {
  beforeAll(useTestBackend);

  it('one step matches the numpy reference step', () => {
    const xw = tf.add(tf.matMul(tf.tensor2d(ref.x.map((seq: number[][]) => seq[0])), tf.tensor2d(ref.input)), tf.tensor1d(ref.bias)) as tf.Tensor2D;
    const h = gruStep(xw, tf.tensor2d(ref.h0), tf.tensor2d(ref.recurrent));
    expectClose(h.arraySync(), ref.step, 1e-5);
  });

  it('a run over a sequence from h_0 = 0 matches the reference run', () => {
    const gru = new GruContext(ref.input.length, ref.hidden, new SeededRng(0));
    gru.input.assign(tf.tensor2d(ref.input));
    gru.recurrent.assign(tf.tensor2d(ref.recurrent));
    gru.bias.assign(tf.tensor1d(ref.bias));
    const c = gru.apply(tf.tensor3d(ref.x));
    expectClose(c.arraySync(), ref.run, 1e-5);
    gru.dispose();
  });

  it.each([0, 2, 5])('is causal: changing z_{t+1..} leaves c_0..c_t exactly unchanged (t = %i)', (t) => {
    const gru = new GruContext(5, 8, new SeededRng(3));
    const z = tf.randomNormal([3, 7, 5], 0, 1, 'float32', 1) as tf.Tensor3D;
    const before = gru.apply(z).arraySync();
    const after = gru.apply(changeFuture(z, t + 1, 9) as tf.Tensor3D).arraySync();
    for (let b = 0; b < 3; b++) {
      for (let s = 0; s <= t; s++) expect(after[b][s]).toEqual(before[b][s]);
      if (t < 6) expect(after[b][t + 1]).not.toEqual(before[b][t + 1]);
    }
    gru.dispose();
  });
});

describe('masked-convolution context network', () => {
  beforeAll(useTestBackend);

  it.each([0, 1, 3])('is causal in rows: changing rows > %i of z leaves rows <= it exactly unchanged', (row) => {
    const net = new MaskedConvContext(4, { channels: [6, 6, 5], kernelSize: 3 }, new SeededRng(2));
    const z = tf.randomNormal([2, 5, 4, 4], 0, 1, 'float32', 4) as tf.Tensor4D;
    const before = net.apply(z).arraySync();
    const after = net.apply(changeFuture(z, row + 1, 7) as tf.Tensor4D).arraySync();
    for (let b = 0; b < 2; b++) {
      for (let i = 0; i <= row; i++) expect(after[b][i]).toEqual(before[b][i]);
      expect(after[b][row + 1]).not.toEqual(before[b][row + 1]);
    }
    net.dispose();
  });

  it('sees the whole row: changing a column of row i changes other columns of row i', () => {
    const net = new MaskedConvContext(2, { channels: [4, 4], kernelSize: 3 }, new SeededRng(2));
    const z = tf.randomNormal([1, 3, 4, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
    const bumped = tf.add(z, tf.pad(tf.ones([1, 1, 1, 2]), [[0, 0], [1, 1], [1, 2], [0, 0]])) as tf.Tensor4D;
    const before = net.apply(z).arraySync();
    const after = net.apply(bumped).arraySync();
    expect(after[0][0]).toEqual(before[0][0]);
    expect(after[0][1][2]).not.toEqual(before[0][1][2]);
    net.dispose();
  });
});
