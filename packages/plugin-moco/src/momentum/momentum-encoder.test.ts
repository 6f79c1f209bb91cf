import * as tf from '@tensorflow/tfjs';
import { ConvNetEncoder, ResNetMiniEncoder, SeededRng, type Encoder } from '@contrastive/framework';
import { expectClose, useTestBackend } from '../test-helpers';
import { MomentumEncoder } from './momentum-encoder';
import { momentumAt } from './momentum-schedule';

const shape = [12, 12, 1] as const;

function convnetPair(momentum: number, seeds: [number, number] = [1, 2]): MomentumEncoder {
  const make = (seed: number) => new ConvNetEncoder(shape, { channels: [4, 8], embeddingDim: 6 }, new SeededRng(seed));
  return new MomentumEncoder(make(seeds[0]), make(seeds[1]), { momentum, schedule: 'constant' });
}

function values(vars: Map<string, tf.Variable>): Map<string, number[]> {
  return new Map([...vars].map(([n, v]) => [n, Array.from(v.dataSync())]));
}

/** Moves every trainable online weight by seeded noise, as an optimizer step would. */
function perturb(encoder: Encoder, seed: number): void {
  encoder.trainableVariables().forEach((v, i) => {
    const next = tf.tidy(() => tf.add(v, tf.randomNormal(v.shape, 0, 0.1, 'float32', seed + i)));
    v.assign(next);
    next.dispose();
  });
}

describe('MomentumEncoder', () => {
  beforeAll(useTestBackend);

  it('starts as an exact copy of the online encoder whose variables are frozen and prefixed', () => {
    const pair = convnetPair(0.9);
    const online = values(pair.online.namedVariables());
    const named = pair.namedVariables();
    for (const [name, v] of online) {
      expect(Array.from(named.get(`momentum/${name}`)!.dataSync())).toEqual(v);
      expect(named.get(`momentum/${name}`)!.trainable).toBe(false);
    }
    expect(named.size).toBe(2 * online.size);
    expect(pair.trainableVariables()).toEqual(pair.online.trainableVariables());
    pair.dispose();
  });

  it.each([0, 0.5, 0.9, 1])('applies theta_k <- m theta_k + (1 - m) theta_q with m = %p', (m) => {
    const pair = convnetPair(m);
    perturb(pair.online, 10);
    const before = values(pair.key.namedVariables());
    const query = values(pair.online.namedVariables());
    expect(pair.update(0)).toBe(m);
    const after = values(pair.key.namedVariables());
    for (const v of pair.online.trainableVariables()) {
      const name = [...pair.online.namedVariables()].find(([, w]) => w === v)![0];
      const expected = before.get(name)!.map((k, i) => m * k + (1 - m) * query.get(name)![i]);
      expectClose(after.get(name), expected, 1e-6);
    }
    pair.dispose();
  });

  it('updates the parameters but leaves the key encoder\'s batch-norm statistics to its own forward passes', () => {
    const make = (seed: number) => new ResNetMiniEncoder(shape, { stemWidth: 4, widths: [4, 8], embeddingDim: 6 }, new SeededRng(seed));
    const pair = new MomentumEncoder(make(1), make(2), { momentum: 0.5, schedule: 'constant' });
    const x = tf.randomUniform([6, ...shape], 0, 1, 'float32', 3) as tf.Tensor4D;
    tf.dispose(pair.encode(x, { training: true }).global); // moves the online running statistics
    const keyStats = () => values(new Map([...pair.key.namedVariables()].filter(([n]) => /moving/.test(n))));
    const stats = keyStats();
    pair.update(0);
    expect(keyStats()).toEqual(stats);
    tf.dispose(pair.encodeKeys(x, { training: true })); // a key forward moves them
    expect(keyStats()).not.toEqual(stats);
    x.dispose();
    pair.dispose();
  });

  it('lets no gradient reach the key encoder', () => {
    const pair = convnetPair(0.99);
    perturb(pair.online, 20); // so that keys and queries differ
    const keyVars = [...pair.key.namedVariables().values()];
    const x = tf.randomUniform([5, ...shape], 0, 1, 'float32', 4) as tf.Tensor4D;
    // Make the key weights eligible for gradients: only the detaching can keep them out.
    keyVars.forEach((v) => { v.trainable = true; });
    const { value, grads } = tf.variableGrads(() => {
      const q = pair.encode(x, { training: true }).global;
      const k = pair.encodeKeys(x, { training: true });
      return tf.sum(tf.mul(q, k));
    }, [...pair.online.trainableVariables(), ...keyVars]);
    keyVars.forEach((v) => { v.trainable = false; });
    for (const v of keyVars) expect(grads[v.name]).toBeUndefined();
    for (const v of pair.online.trainableVariables()) {
      expect(grads[v.name]).toBeDefined();
      expect(tf.sum(tf.abs(grads[v.name])).dataSync()[0]).toBeGreaterThan(0);
    }
    tf.dispose([value, x, ...Object.values(grads)]);
    pair.dispose();
  });

  it('gives the key encoder\'s output, equal to the online one while they are equal', () => {
    const pair = convnetPair(0.9);
    const x = tf.randomUniform([3, ...shape], 0, 1, 'float32', 5) as tf.Tensor4D;
    const q = pair.encode(x, { training: false }).global;
    const k = pair.encodeKeys(x, { training: false });
    expectClose(k.arraySync(), q.arraySync(), 1e-6);
    perturb(pair.online, 30);
    const q2 = pair.encode(x, { training: false }).global;
    const k2 = pair.encodeKeys(x, { training: false });
    expectClose(k2.arraySync(), k.arraySync(), 1e-6);
    expect(Math.max(...(tf.abs(tf.sub(q2, k2)).dataSync() as Float32Array))).toBeGreaterThan(1e-4);
    tf.dispose([x, q, k, q2, k2]);
    pair.dispose();
  });

  it('keeps the tensor count flat across forward passes and updates', () => {
    const pair = convnetPair(0.9);
    const x = tf.randomUniform([4, ...shape], 0, 1, 'float32', 6) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.dispose(pair.encodeKeys(x, { training: true }));
      pair.update(i);
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    pair.dispose();
  });

  it('refuses a key encoder that is not a copy of the online one', () => {
    const online = new ConvNetEncoder(shape, { channels: [4, 8], embeddingDim: 6 }, new SeededRng(1));
    const other = new ConvNetEncoder(shape, { channels: [4, 8], embeddingDim: 7 }, new SeededRng(2));
    expect(() => new MomentumEncoder(online, other, { momentum: 0.9, schedule: 'constant' }))
      .toThrow(/the key encoder does not have the online encoder's variables \(first mismatch: encoder\/proj\/kernel\)/);
    expect(() => new MomentumEncoder(online, other, { momentum: 1.5, schedule: 'constant' })).toThrow('momentum must be in [0, 1], got 1.5');
    online.dispose();
    other.dispose();
  });
});

describe('momentumAt', () => {
  it('is constant, or rises from m0 to 1 along a half cosine', () => {
    expect(momentumAt({ momentum: 0.99, schedule: 'constant' }, 500, 1000)).toBe(0.99);
    const cosine = { momentum: 0.9, schedule: 'cosine' as const };
    expect(momentumAt(cosine, 0, 1000)).toBeCloseTo(0.9, 12);
    expect(momentumAt(cosine, 500, 1000)).toBeCloseTo(0.95, 12);
    expect(momentumAt(cosine, 250, 1000)).toBeCloseTo(1 - 0.1 * (Math.SQRT1_2 + 1) / 2, 12);
    expect(momentumAt(cosine, 1000, 1000)).toBeCloseTo(1, 12);
    const steps = [0, 100, 400, 700, 999].map((s) => momentumAt(cosine, s, 1000));
    steps.slice(1).forEach((m, i) => expect(m).toBeGreaterThan(steps[i]));
    expect(() => momentumAt(cosine, 3)).toThrow(/needs the run's total number of steps/);
  });
});
