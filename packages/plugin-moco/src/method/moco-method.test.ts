import * as tf from '@tensorflow/tfjs';
import { infoNceLoss, l2Normalize, SeededRng, UserInputError } from '@contrastive/framework';
import { buildMethod, buildOptimizer, expectClose, trainStep, useTestBackend } from '../test-helpers';
import type { MocoMethod } from './moco-method';

const shape: [number, number, number] = [12, 12, 1];

/** A small MoCo on 12x12 images with deterministic views (x and its mirror image). */
function smallMoco(method: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): MocoMethod {
  return buildMethod<MocoMethod>({
    method: { use: 'moco', queueSize: 20, momentum: 0.9, projectionHiddenDim: 16, projectionDim: 8, ...method },
    encoder: { use: 'convnet', channels: [4, 8], embeddingDim: 6 },
    positives: { use: 'fixed-flip' },
    augment: [],
    ...extra,
  }, shape);
}

const batch = (n = 8, seed = 1) => tf.randomUniform([n, ...shape], 0, 1, 'float32', seed) as tf.Tensor4D;
const ctxAt = (step: number) => ({ step, totalSteps: 100, rng: new SeededRng(step) });

function snapshot(vars: Map<string, tf.Variable>, prefix = ''): Map<string, number[]> {
  return new Map([...vars].filter(([n]) => n.startsWith(prefix)).map(([n, v]) => [n, Array.from(v.dataSync())]));
}

describe('MocoMethod', () => {
  beforeAll(useTestBackend);

  it('after a step, f_k = m * f_k(before) + (1 - m) * f_q(after the update)', () => {
    const method = smallMoco({ momentum: 0.9 });
    const optimizer = buildOptimizer({ use: 'sgd', lr: 0.5, momentum: 0.9 });
    const x = batch();
    trainStep(method, optimizer, x, ctxAt(0)); // f_q and f_k now differ
    const keyBefore = snapshot(method.namedVariables(), 'momentum/');
    const queryBefore = snapshot(method.namedVariables(), 'encoder/');
    trainStep(method, optimizer, x, ctxAt(1));
    const all = snapshot(method.namedVariables());
    let moved = 0;
    for (const [name] of snapshot(method.encoders.online.namedVariables())) {
      const query = all.get(name)!;
      const expected = keyBefore.get(`momentum/${name}`)!.map((k, i) => 0.9 * k + 0.1 * query[i]);
      expectClose(all.get(`momentum/${name}`), expected, 1e-6);
      if (queryBefore.has(name)) moved += Math.max(...query.map((v, i) => Math.abs(v - queryBefore.get(name)![i])));
    }
    expect(moved).toBeGreaterThan(1e-3); // the query encoder really was updated in between
    expect([...all.keys()].filter((n) => n.startsWith('momentum/head/'))).toHaveLength(4);
    tf.dispose(x);
    optimizer.dispose();
    method.dispose();
  });

  it('lets no gradient reach f_k through its loss', () => {
    const method = smallMoco();
    const x = batch();
    const keyVars = [...method.namedVariables()].filter(([n]) => n.startsWith('momentum/')).map(([, v]) => v);
    expect(keyVars.length).toBeGreaterThan(0);
    expect(method.trainableVariables().filter((v) => keyVars.includes(v))).toEqual([]);
    keyVars.forEach((v) => { v.trainable = true; }); // eligible: only the detaching keeps them out
    const { value, grads } = tf.variableGrads(() => method.loss(x, ctxAt(0)).loss, [...method.trainableVariables(), ...keyVars]);
    keyVars.forEach((v) => { v.trainable = false; });
    keyVars.forEach((v) => expect(grads[v.name]).toBeUndefined());
    method.trainableVariables().forEach((v) => expect(grads[v.name]).toBeDefined());
    tf.dispose([value, x, ...Object.values(grads)]);
    method.afterStep(ctxAt(0));
    method.dispose();
  });

  it.each([false, true])('enqueues the keys of the step after it, computed by f_k (symmetric: %p)', (symmetric) => {
    const method = smallMoco({ symmetric });
    const optimizer = buildOptimizer({ use: 'sgd', lr: 0.1 });
    // A few steps first: f_k now lags f_q, so keys from the query encoder would differ.
    for (let s = 0; s < 3; s++) {
      const warm = batch(8, 10 + s);
      trainStep(method, optimizer, warm, ctxAt(s));
      warm.dispose();
    }
    const x = batch();
    const queue = method.namedVariables().get('queue/keys')!;
    const before = queue.arraySync() as number[][];
    // The keys f_k gives the two views before the step (views: x and its mirror image).
    const flipped = tf.reverse(x, 2) as tf.Tensor4D;
    const kPositive = l2Normalize(method.encoders.encodeKeys(flipped, { training: true }));
    const kAnchor = l2Normalize(method.encoders.encodeKeys(x, { training: true }));
    const keys = [...kPositive.arraySync(), ...(symmetric ? kAnchor.arraySync() : [])];
    const fromQuery = l2Normalize(method.encoders.encode(flipped, { training: true }).global);
    const gap = tf.max(tf.abs(tf.sub(fromQuery, kPositive))).dataSync()[0];
    expect(gap).toBeGreaterThan(1e-3); // the test can tell f_q's keys from f_k's
    trainStep(method, optimizer, x, ctxAt(3));
    expectClose(queue.arraySync(), [...before, ...keys].slice(-20), 1e-5);
    tf.dispose([x, flipped, kPositive, kAnchor, fromQuery]);
    optimizer.dispose();
    method.dispose();
  });

  it('contrasts against the other keys of the batch with in-batch negatives (MoCo v3 style)', () => {
    const method = smallMoco({ queueSize: undefined, temperature: 0.5 }, { negatives: { use: 'in-batch' } });
    const x = batch(6);
    const out = method.loss(x, ctxAt(0));
    const expected = tf.tidy(() => {
      const q = l2Normalize(method.encoders.encode(x, { training: true }).global);
      const k = l2Normalize(method.encoders.encodeKeys(tf.reverse(x, 2) as tf.Tensor4D, { training: true }));
      return infoNceLoss(tf.div(tf.matMul(q, k, false, true), 0.5), tf.range(0, 6, 1, 'int32') as tf.Tensor1D);
    });
    expectClose(out.loss.dataSync()[0], expected.dataSync()[0], 1e-5);
    tf.dispose([x, out.loss, expected, ...Object.values(out.metrics)]);
    method.afterStep(ctxAt(0));
    method.dispose();
  });

  it('reports the momentum of the step, rising under the cosine schedule', () => {
    const method = smallMoco({ momentum: 0.9, momentumSchedule: 'cosine' });
    const x = batch();
    const momentumAt = (step: number) => {
      const out = method.loss(x, { step, totalSteps: 10, rng: new SeededRng(0) });
      const m = out.metrics.momentum.dataSync()[0];
      tf.dispose([out.loss, ...Object.values(out.metrics)]);
      method.afterStep({ step, totalSteps: 10, rng: new SeededRng(0) });
      expect(method.encoders.lastMomentum).toBeCloseTo(m, 6);
      return m;
    };
    expect(momentumAt(0)).toBeCloseTo(0.9, 6);
    expect(momentumAt(5)).toBeCloseTo(0.95, 6);
    x.dispose();
    method.dispose();
  });

  it('evaluates the backbone, before the projection head', () => {
    const method = smallMoco({ projectionHead: 'mlp', projectionDim: 8 });
    expect(method.encoder.embeddingDim).toBe(6);
    expect(method.encoders.embeddingDim).toBe(8);
    expect(method.namedVariables().get('queue/keys')!.shape).toEqual([20, 8]);
    method.dispose();
    const v1 = smallMoco({ projectionHead: 'none' });
    expect(v1.namedVariables().get('queue/keys')!.shape).toEqual([20, 6]);
    expect([...v1.namedVariables().keys()].some((n) => n.includes('head/'))).toBe(false);
    v1.dispose();
  });

  it('keeps the tensor count flat across steps', () => {
    const method = smallMoco({ symmetric: true });
    const optimizer = buildOptimizer({ use: 'adam', lr: 0.01 });
    const x = batch();
    const counts: number[] = [];
    for (let step = 0; step < 5; step++) {
      trainStep(method, optimizer, x, ctxAt(step));
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts.slice(1)).size).toBe(1);
    tf.dispose(x);
    optimizer.dispose();
    method.dispose();
  });

  describe('refuses a misconfigured composition, naming the config path', () => {
    const errorOf = (fn: () => unknown): Error => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(UserInputError);
        return err as Error;
      }
      throw new Error('expected a UserInputError');
    };

    it('two different queue sizes', () => {
      expect(errorOf(() => smallMoco({ queueSize: 20 }, { negatives: { use: 'queue', size: 30 } })).message)
        .toBe('method.queueSize (20) and negatives.size (30) disagree; set the queue size in one place');
    });

    it('a queue size without a queue', () => {
      expect(errorOf(() => smallMoco({ queueSize: 20 }, { negatives: { use: 'in-batch' } })).message)
        .toMatch(/^method.queueSize: sets the size of a `queue` negatives slot, but negatives is "in-batch"/);
    });

    it('a queue dimension that is not the keys\'', () => {
      expect(errorOf(() => smallMoco({ projectionDim: 8 }, { negatives: { use: 'queue', dim: 6 } })).message)
        .toBe('negatives.dim (6) differs from the size of MoCo\'s keys (8); remove negatives.dim');
    });

    it('a momentum encoder in the encoder slot', () => {
      expect(errorOf(() => smallMoco({}, { encoder: { use: 'momentum-encoder', base: { use: 'convnet' } } })).message)
        .toMatch(/^encoder: MoCo builds its own momentum key encoder/);
    });

    it('more batch-norm groups than the batch can fill', () => {
      const method = buildMethod<MocoMethod>({
        method: { use: 'moco', queueSize: 20, batchNorm: 'shuffle', batchNormGroups: 4 },
        encoder: { use: 'resnet-mini', stemWidth: 4, widths: [4], embeddingDim: 6 },
        augment: [],
      }, shape);
      const x = batch(6);
      expect(errorOf(() => method.loss(x, ctxAt(0))).message).toMatch(/^method.batchNormGroups: 4 batch-norm groups need a batch of at least 8 examples/);
      x.dispose();
      method.dispose();
    });
  });
});
