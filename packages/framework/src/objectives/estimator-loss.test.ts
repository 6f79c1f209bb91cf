import * as tf from '@tensorflow/tfjs';
import { createRegistry } from '../builtins';
import { expectClose, useTestBackend } from '../test-helpers';
import { dvEstimate } from './dv-estimator';
import { EstimatorLoss } from './estimator-loss';
import { jsdEstimate } from './jsd-estimator';
import { BUILTIN_ESTIMATOR_NAMES } from './builtins';

beforeAll(async () => {
  await useTestBackend();
});

describe('estimators in the registry and as losses', () => {
  it('registers every built-in estimator (kind estimator) and jsd, dv as losses', () => {
    const registry = createRegistry();
    expect([...registry.names('estimator')].sort()).toEqual([...BUILTIN_ESTIMATOR_NAMES].sort());
    for (const name of ['jsd', 'dv', 'infonce', 'nce']) expect(registry.has('loss', name)).toBe(true);
  });

  it.each([['jsd', jsdEstimate], ['dv', dvEstimate]] as const)(
    'loss %s: the positive column becomes a one-hot positive mask', (name, estimate) => {
      const registry = createRegistry();
      const loss = registry.get('loss', name).create({}, {} as never) as EstimatorLoss;
      const logits = tf.tensor2d([[2, -1, 0.5], [0.3, 0.1, -2], [1, 1, 3]]);
      const positives = tf.tensor2d([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
      const value = loss.compute(logits, tf.tensor1d([0, 2, 1], 'int32')).dataSync()[0];
      expectClose(value, estimate({ scores: logits, positives }).dataSync()[0], 1e-6);
      // Moving the positive changes the loss: the index is used, not ignored.
      expect(Math.abs(loss.compute(logits, tf.tensor1d([1, 2, 1], 'int32')).dataSync()[0] - value)).toBeGreaterThan(1e-3);
    },
  );
});
