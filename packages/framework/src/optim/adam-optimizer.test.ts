import * as tf from '@tensorflow/tfjs';
import { VariableStore } from '../nn/variable-store';
import { leakedTensors, useTestBackend } from '../test-helpers';
import { SeededRng } from '../util/rng';
import { adamOptimizerDefinition, AdamOptimizer } from './adam-optimizer';

function vector(values: number[]): { store: VariableStore; w: tf.Variable } {
  const store = new VariableStore('p', new SeededRng(0));
  return { store, w: store.add('w', tf.tensor1d(values), true) };
}

beforeAll(async () => {
  await useTestBackend();
});

describe('Adam optimizer', () => {
  it('computes a hand-worked first and second step', () => {
    // Step 1 with g: m = 0.1g, v = 0.001g², m̂ = g, v̂ = g² → w −= lr·g/(|g| + ε) ≈ lr·sign(g).
    // w = [1, −2], g = [4, −0.5], lr 0.01 → w ≈ [0.99, −1.99].
    const { store, w } = vector([1, -2]);
    const opt = new AdamOptimizer();
    opt.apply([w], [tf.tensor1d([4, -0.5])], 0.01);
    const after1 = Array.from(w.dataSync());
    expect(after1[0]).toBeCloseTo(0.99, 6);
    expect(after1[1]).toBeCloseTo(-1.99, 6);
    // Step 2 with the same g: m = 0.19g, v = 0.001999g², m̂ = g, v̂ = g² → the same step again.
    opt.apply([w], [tf.tensor1d([4, -0.5])], 0.01);
    const after2 = Array.from(w.dataSync());
    expect(after2[0]).toBeCloseTo(0.98, 6);
    expect(after2[1]).toBeCloseTo(-1.98, 6);
    expect(opt.namedState().get('optimizer/adam/step')!.dataSync()[0]).toBe(2);
    opt.dispose();
    store.dispose();
  });

  it('follows a step counter assigned from outside (a restored checkpoint)', () => {
    // After 1 step, m = 0.1g and v = 0.001g². Claiming 100 steps were taken changes the bias
    // correction of step 101: m = 0.19g, v = 0.001999g², m̂ = 0.19g/(1-0.9^101) ≈ 0.19g,
    // v̂ = 0.001999g²/(1-0.999^101) ≈ 0.020800g² → step ≈ lr·0.19/√0.020800 ≈ lr·1.31743.
    const { store, w } = vector([1]);
    const opt = new AdamOptimizer();
    opt.apply([w], [tf.tensor1d([4])], 0.01);
    opt.namedState().get('optimizer/adam/step')!.assign(tf.scalar(100));
    opt.apply([w], [tf.tensor1d([4])], 0.01);
    const m = 0.19 / (1 - 0.9 ** 101);
    const vHat = 0.001999 / (1 - 0.999 ** 101);
    expect(w.dataSync()[0]).toBeCloseTo(0.99 - 0.01 * m / Math.sqrt(vHat), 5);
    expect(opt.namedState().get('optimizer/adam/step')!.dataSync()[0]).toBe(101);
    opt.dispose();
    store.dispose();
  });

  it('decays weights decoupled from the gradient (AdamW)', () => {
    // Zero gradient: the Adam part is 0/(0 + ε) = 0, so w = w·(1 − lr·λ) = 2·(1 − 0.1·0.5) = 1.9
    const { store, w } = vector([2]);
    const opt = new AdamOptimizer({ weightDecay: 0.5 });
    opt.apply([w], [tf.zeros([1])], 0.1);
    expect(w.dataSync()[0]).toBeCloseTo(1.9, 6);
    opt.dispose();
    store.dispose();
  });

  it('names its state after the variables and the step counter', () => {
    const { store, w } = vector([1, 2]);
    const opt = new AdamOptimizer();
    opt.initState([w]);
    expect([...opt.namedState().keys()]).toEqual(['optimizer/adam/p/w/m', 'optimizer/adam/p/w/v', 'optimizer/adam/step']);
    opt.dispose();
    store.dispose();
  });

  it('leaves no tensors behind once its state exists', () => {
    const { store, w } = vector([1, 2, 3]);
    const opt = new AdamOptimizer({ weightDecay: 0.1 });
    const g = tf.ones([3]);
    expect(leakedTensors(() => opt.apply([w], [g], 0.1))).toBe(3); // m, v and the step
    expect(leakedTensors(() => opt.apply([w], [g], 0.1))).toBe(0);
    expect(leakedTensors(() => opt.dispose())).toBe(-3);
    g.dispose();
    store.dispose();
  });

  it('rejects invalid options', () => {
    expect(() => new AdamOptimizer({ beta1: 1 })).toThrow(/beta1/);
    expect(() => new AdamOptimizer({ beta2: -0.1 })).toThrow(/beta2/);
    expect(() => new AdamOptimizer({ epsilon: 0 })).toThrow(/epsilon/);
    expect(() => new AdamOptimizer({ weightDecay: -1 })).toThrow(/weightDecay/);
  });

  it('is built by its definition and exposes its base lr', () => {
    const opt = adamOptimizerDefinition.create(
      { lr: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }, {} as never,
    ) as AdamOptimizer;
    expect(opt.lr).toBe(0.002);
    expect(new AdamOptimizer().options).toEqual({ lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });
  });
});
