import * as tf from '@tensorflow/tfjs';
import { VariableStore } from '../nn/variable-store';
import { leakedTensors, useTestBackend } from '../test-helpers';
import { SeededRng } from '../util/rng';
import { sgdOptimizerDefinition, SgdOptimizer } from './sgd-optimizer';

/** A one-element variable `p/w` (stable name) holding `value`. */
function scalarVar(value: number): { store: VariableStore; w: tf.Variable } {
  const store = new VariableStore('p', new SeededRng(0));
  return { store, w: store.add('w', tf.tensor1d([value]), true) };
}

/** Applies gradient `g(w)` of 0.5·w² (g = w) with learning rate `lr`. */
function stepOnHalfSquare(opt: SgdOptimizer, w: tf.Variable, lr: number): void {
  const g = w.clone();
  opt.apply([w], [g], lr);
  g.dispose();
}

beforeAll(async () => {
  await useTestBackend();
});

describe('SGD optimizer', () => {
  it('computes a hand-worked momentum trajectory', () => {
    // loss 0.5·w², w₀ = 1, lr 0.1, μ = 0.9 (gradient = w):
    //   step 1: b = g = 1            → w = 1 − 0.1·1 = 0.9
    //   step 2: b = 0.9·1 + 0.9 = 1.8 → w = 0.9 − 0.1·1.8 = 0.72
    const { store, w } = scalarVar(1);
    const opt = new SgdOptimizer({ momentum: 0.9 });
    stepOnHalfSquare(opt, w, 0.1);
    expect(w.dataSync()[0]).toBeCloseTo(0.9, 6);
    stepOnHalfSquare(opt, w, 0.1);
    expect(w.dataSync()[0]).toBeCloseTo(0.72, 6);
    expect(opt.namedState().get('optimizer/sgd/p/w/momentum')!.dataSync()[0]).toBeCloseTo(1.8, 6);
    opt.dispose();
    store.dispose();
  });

  it('computes hand-worked weight decay and Nesterov steps', () => {
    // Plain SGD with λ = 0.5, zero gradient, w = 2, lr 0.1: w = 2 − 0.1·(0 + 0.5·2) = 1.9
    const a = scalarVar(2);
    const plain = new SgdOptimizer({ momentum: 0, weightDecay: 0.5 });
    plain.apply([a.w], [tf.zeros([1])], 0.1);
    expect(a.w.dataSync()[0]).toBeCloseTo(1.9, 6);
    expect(plain.namedState().size).toBe(0);
    // Nesterov, μ = 0.5, g = 1 on the first step: b = 1, update g + μ·b = 1.5 → w = 1 − 0.15 = 0.85
    const b = scalarVar(1);
    const nesterov = new SgdOptimizer({ momentum: 0.5, nesterov: true });
    nesterov.apply([b.w], [tf.ones([1])], 0.1);
    expect(b.w.dataSync()[0]).toBeCloseTo(0.85, 6);
    for (const o of [plain, nesterov]) o.dispose();
    for (const s of [a.store, b.store]) s.dispose();
  });

  it('leaves no tensors behind once its state exists', () => {
    const { store, w } = scalarVar(1);
    const opt = new SgdOptimizer({ momentum: 0.9, weightDecay: 0.01, nesterov: true });
    const g = tf.ones([1]);
    // The first apply creates exactly one state variable (the momentum buffer).
    expect(leakedTensors(() => opt.apply([w], [g], 0.1))).toBe(1);
    expect(leakedTensors(() => opt.apply([w], [g], 0.1))).toBe(0);
    expect(leakedTensors(() => opt.dispose())).toBe(-1);
    g.dispose();
    store.dispose();
  });

  it('rejects inconsistent arguments and options', () => {
    const { store, w } = scalarVar(1);
    const opt = new SgdOptimizer();
    expect(() => opt.apply([w], [], 0.1)).toThrow(/1 variables but 0 gradients/);
    expect(() => opt.apply([w], [tf.zeros([2])], 0.1)).toThrow(/gradient for p\/w is \[2\]/);
    expect(() => opt.apply([w], [tf.zeros([1])], NaN)).toThrow(/learning rate/);
    expect(() => new SgdOptimizer({ momentum: 0, nesterov: true })).toThrow(/nesterov/);
    expect(() => new SgdOptimizer({ momentum: 1.5 })).toThrow(/momentum/);
    opt.dispose();
    store.dispose();
  });

  it('is built by its definition and exposes its base lr', () => {
    const opt = sgdOptimizerDefinition.create({ lr: 0.3, momentum: 0.5, weightDecay: 0, nesterov: false }, {} as never);
    expect(opt).toBeInstanceOf(SgdOptimizer);
    expect((opt as SgdOptimizer).lr).toBe(0.3);
    expect(new SgdOptimizer().options).toEqual({ lr: 0.1, momentum: 0.9, weightDecay: 0, nesterov: false });
  });
});
