import * as tf from '@tensorflow/tfjs';
import { SeededRng, stableNameOf, type Encoder, type EncoderOutput, type Estimator, type Images, type ScoreFunction } from '@contrastive/framework';
import { buildMethod, buildOptimizer, leakedTensors, trainStep, useTestBackend } from '../test-helpers';
import { DimMethod } from './dim-method';

beforeAll(async () => {
  await useTestBackend();
});

const ctx = (step = 0) => ({ step, rng: new SeededRng(100 + step) });
const small = (method: Record<string, unknown> = {}) => ({
  method: { use: 'dim', layer: 'conv1', ...method },
  encoder: { use: 'convnet', channels: [8, 16, 16], embeddingDim: 12 },
  score: { use: 'dim-critic', units: 16 },
});

/**
 * An encoder whose feature map names each location: value b·100 + y·W + x at image b,
 * position (y, x); global vector 1. With a dot score, score(i, j) is then the identity of
 * location j, so positives and negatives can be checked on indices.
 */
function labelledEncoder(batch: number, h: number, w: number): Encoder {
  const map = tf.tensor4d(Array.from({ length: batch * h * w }, (_, k) => Math.floor(k / (h * w)) * 100 + (k % (h * w))), [batch, h, w, 1]);
  return {
    embeddingDim: 1, featureNames: ['map'],
    encode: (x: Images): EncoderOutput => ({ global: tf.ones([x.shape[0], 1]) as tf.Tensor2D, features: { map: tf.clone(map) } }),
    trainableVariables: () => [], namedVariables: () => new Map(), dispose: () => map.dispose(),
  };
}

describe('DIM(L) pairs', () => {
  it('positives are exactly the same image\'s locations, negatives every other image\'s (on indices)', () => {
    const [batch, h, w] = [3, 2, 3];
    const encoder = labelledEncoder(batch, h, w);
    const dot: ScoreFunction = { score: (a, c) => tf.matMul(a, c, false, true) };
    const method = new DimMethod({ encoder, positives: { sample: (x) => ({ anchor: x, positive: x }) }, localCritic: dot, globalCritic: null, estimator: null as unknown as Estimator },
      { layer: 'map', alpha: 0, beta: 1, gamma: 0, representationGrid: 2 });
    const out = encoder.encode(tf.zeros([batch, 4, 4, 1]) as Images, { training: false });
    const pairs = method.localPairs(out.global, out.features.map);
    const scores = pairs.scores.arraySync();
    const positives = pairs.positives.arraySync();
    expect(pairs.scores.shape).toEqual([batch, batch * h * w]);
    for (let i = 0; i < batch; i++) {
      const ids = scores[i];
      // Every row sees every location of every image exactly once.
      expect([...ids].sort((a, b) => a - b)).toEqual([...Array(batch).keys()].flatMap((b) => [...Array(h * w).keys()].map((l) => b * 100 + l)));
      ids.forEach((id, j) => {
        const image = Math.floor(id / 100);
        expect(positives[i][j]).toBe(image === i ? 1 : 0);
      });
      expect(positives[i].reduce((a, b) => a + b, 0)).toBe(h * w);
    }
  });
});

describe('DimMethod', () => {
  const x = tf.randomUniform([6, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;

  it('gives gradients to the local layer, the deeper layers, the projection and both sides of the critic', () => {
    const method = buildMethod<DimMethod>(small(), [28, 28, 1]);
    const variables = method.trainableVariables();
    const { value, grads } = tf.variableGrads(() => method.loss(x, ctx()).loss, variables);
    const norms = new Map(variables.map((v) => [stableNameOf(v), grads[v.name] ? tf.norm(grads[v.name]).dataSync()[0] : 0]));
    for (const name of ['encoder/conv1/kernel', 'encoder/conv0/kernel', 'encoder/conv2/kernel', 'encoder/proj/kernel',
      'score/dim-critic/anchor/hidden/kernel', 'score/dim-critic/candidate/hidden/kernel', 'score/dim-critic/candidate/shortcut/kernel']) {
      expect([name, norms.get(name)! > 0]).toEqual([name, true]);
    }
    tf.dispose([value, ...Object.values(grads)]);
    method.dispose();
  });

  it('the local layer\'s gradient comes from its own locations too, not only through the global vector', () => {
    // conv1's map enters the loss directly (as the critic's candidates) and through conv2 -> global.
    // The gradient with respect to the map itself is non-zero.
    const method = buildMethod<DimMethod>(small(), [28, 28, 1]);
    const out = method.encoder.encode(x, { training: true, features: ['conv1'] });
    const g = tf.grad((map: tf.Tensor) => method.localLoss(out.global, map as tf.Tensor4D))(out.features.conv1);
    expect(tf.norm(g).dataSync()[0]).toBeGreaterThan(0);
    method.dispose();
  });

  it('adds DIM(G) with weight alpha: a global critic, a globalLoss metric, and a loss that moves with alpha', () => {
    const losses = [0.5, 2].map((alpha) => {
      const method = buildMethod<DimMethod>(small({ alpha }), [28, 28, 1]);
      expect([...method.namedVariables().keys()].some((n) => n.startsWith('global-critic/'))).toBe(true);
      const out = method.loss(x, ctx());
      const [total, local, global] = [out.loss, out.metrics.localLoss, out.metrics.globalLoss].map((t) => t.dataSync()[0]);
      expect(total).toBeCloseTo(local + alpha * global, 4);
      method.dispose();
      return total;
    });
    expect(losses[0]).not.toBeCloseTo(losses[1], 3);
  });

  it('with beta 0 and alpha > 0 trains DIM(G) only', () => {
    const method = buildMethod<DimMethod>(small({ alpha: 1, beta: 0 }), [28, 28, 1]);
    const out = method.loss(x, ctx());
    expect(out.metrics.localLoss).toBeUndefined();
    expect(out.loss.dataSync()[0]).toBeCloseTo(out.metrics.globalLoss.dataSync()[0], 5);
    method.dispose();
  });

  it('uses the estimator the option names (finite losses, a different value for each)', () => {
    const values = ['infonce', 'jsd', 'dv', 'nce'].map((estimator) => {
      const method = buildMethod<DimMethod>(small({ estimator }), [28, 28, 1]);
      const value = method.loss(x, ctx()).loss.dataSync()[0];
      method.dispose();
      return value;
    });
    expect(values.every(Number.isFinite)).toBe(true);
    expect(new Set(values.map((v) => v.toFixed(4))).size).toBe(4);
  });

  it('keeps the tensor count flat across training steps (DIM(L) and DIM(G))', () => {
    const method = buildMethod<DimMethod>(small({ alpha: 1 }), [28, 28, 1]);
    const optimizer = buildOptimizer({ use: 'adam', lr: 0.001 });
    trainStep(method, optimizer, x, ctx(0));
    const counts: number[] = [];
    for (let step = 1; step <= 3; step++) {
      counts.push(leakedTensors(() => trainStep(method, optimizer, x, ctx(step))));
    }
    expect(counts).toEqual([0, 0, 0]);
    optimizer.dispose();
    method.dispose();
  });
});
