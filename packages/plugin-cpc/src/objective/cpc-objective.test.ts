import * as tf from '@tensorflow/tfjs';
import { InfoNceLoss, SeededRng } from '@contrastive/framework';
import { expectClose, useTestBackend } from '../test-helpers';
import { CPC_NEGATIVES } from './cpc-logits';
import { CpcPredictors } from './cpc-objective';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const ref = require('../../test/fixtures/cpc-reference.json').cpc;

/** Predictors holding the fixture's W_k. */
function fixturePredictors(): CpcPredictors {
  const { C, D, K } = ref.shape;
  const p = new CpcPredictors(C, D, K, new SeededRng(0));
  p.trainableVariables().forEach((v, i) => v.assign(tf.tensor2d(ref.W[i])));
  return p;
}

describe('CPC objective against the numpy reference (tools/reference/make_cpc_reference.py)', () => {
  beforeAll(useTestBackend);

  it.each(CPC_NEGATIVES)('negatives "%s": loss and per-offset accuracy equal the reference', (mode) => {
    const p = fixturePredictors();
    const c = tf.tensor3d(ref.c);
    const z = tf.tensor3d(ref.z);
    const out = p.objective(c, z, mode, new InfoNceLoss());
    const expected = ref.modes[mode];
    expectClose(out.loss.dataSync()[0], expected.loss, 1e-5);
    expected.accuracyPerK.forEach((acc: number, i: number) => expectClose(out.metrics[`accuracy.k${i + 1}`].dataSync()[0], acc, 1e-6));
    tf.dispose([c, z, out.loss, ...Object.values(out.metrics)]);
    p.dispose();
  });

  it('the three choices of negatives give different losses (the option matters)', () => {
    const losses = CPC_NEGATIVES.map((m) => ref.modes[m].loss);
    expect(new Set(losses.map((l: number) => l.toFixed(6))).size).toBe(3);
  });

  it('refuses K not smaller than the sequence length', () => {
    const p = new CpcPredictors(4, 3, 5, new SeededRng(0));
    const c = tf.zeros([2, 5, 4]) as tf.Tensor3D;
    const z = tf.zeros([2, 5, 3]) as tf.Tensor3D;
    expect(() => p.objective(c, z, 'all', new InfoNceLoss())).toThrow(/5 prediction steps need sequences longer than 5 steps/);
    tf.dispose([c, z]);
    p.dispose();
  });
});
