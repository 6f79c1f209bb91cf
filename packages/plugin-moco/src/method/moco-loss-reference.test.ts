import * as tf from '@tensorflow/tfjs';
import { SeededRng } from '@contrastive/framework';
import { buildMethod, expectClose, useTestBackend } from '../test-helpers';
import type { MocoMethod } from './moco-method';

/** Written by tools/reference/make_moco_reference.py (numpy). */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const ref = require('../../test/fixtures/moco-reference.json');

interface RefCase { temperature: number; loss: number; symmetricLoss: number; logits: number[][] }

/** Stable name -> fixture value. The key encoder (`momentum/...`) has weights of its own. */
const fixtureValues: Record<string, unknown> = {
  'encoder/weight': ref.encoderWeight,
  'head/hidden/kernel': ref.head.w1,
  'head/hidden/bias': ref.head.b1,
  'head/out/kernel': ref.head.w2,
  'head/out/bias': ref.head.b2,
  'momentum/encoder/weight': ref.keyEncoderWeight,
  'momentum/head/hidden/kernel': ref.keyHead.w1,
  'momentum/head/hidden/bias': ref.keyHead.b1,
  'momentum/head/out/kernel': ref.keyHead.w2,
  'momentum/head/out/bias': ref.keyHead.b2,
  'queue/keys': ref.queue,
};

/**
 * MoCo with the fixture's linear encoder (and head), its queue, views x and mirror(x): the
 * setting of the numpy reference. The key encoder gets weights that differ from the query
 * encoder's, as after training steps, so keys taken from the query encoder would not match.
 */
function referenceMethod(temperature: number, head: 'none' | 'mlp', symmetric: boolean): MocoMethod {
  const method = buildMethod<MocoMethod>({
    method: { use: 'moco', temperature, projectionHead: head, projectionHiddenDim: 4, projectionDim: 3, queueSize: 5, symmetric },
    encoder: { use: 'linear-test', embeddingDim: 3 },
    positives: { use: 'fixed-flip' },
    augment: [],
  }, [2, 3, 1]);
  const assigned = new Set<string>();
  for (const [name, v] of method.namedVariables()) {
    if (!(name in fixtureValues)) throw new Error(`no fixture value for ${name}`);
    v.assign(tf.tensor(fixtureValues[name] as number[], v.shape));
    assigned.add(name);
  }
  expect([...assigned].sort()).toEqual(Object.keys(fixtureValues).filter((n) => head === 'mlp' || !n.includes('head/')).sort());
  return method;
}

describe('MoCo loss against the numpy reference', () => {
  beforeAll(useTestBackend);

  const cases: Array<['none' | 'mlp', number, RefCase]> = [
    ...(ref.noHead as RefCase[]).map((c): ['none', number, RefCase] => ['none', c.temperature, c]),
    ...(ref.mlpHead as RefCase[]).map((c): ['mlp', number, RefCase] => ['mlp', c.temperature, c]),
  ];

  it.each(cases)('head %s, tau %p: InfoNCE over [q.k+, q.queue] / tau, plain and symmetric', (head, _tau, c) => {
    const x = tf.tensor4d(ref.images);
    for (const symmetric of [false, true]) {
      const method = referenceMethod(c.temperature, head, symmetric);
      const out = method.loss(x, { step: 0, totalSteps: 1, rng: new SeededRng(0) });
      expectClose(out.loss.dataSync()[0], symmetric ? c.symmetricLoss : c.loss, 2e-5);
      // The positive logit is the largest here exactly when the reference says so.
      const refAccuracy = c.logits.filter((row) => row.every((v) => v <= row[0])).length / c.logits.length;
      expectClose(out.metrics.positiveAccuracy.dataSync()[0], refAccuracy, 1e-6);
      tf.dispose([out.loss, ...Object.values(out.metrics)]);
      method.dispose();
    }
    x.dispose();
  });
});
