import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { VariableStore } from '../nn/variable-store';
import { useTestBackend } from '../test-helpers';
import { SeededRng } from '../util/rng';
import { AdamOptimizer } from './adam-optimizer';
import { restoreOptimizerState, type StatefulOptimizer } from './optimizer-state';
import { SgdOptimizer } from './sgd-optimizer';
import { expectClose } from '../test-helpers/expect-close';

interface Params { x: number[]; Y: number[][] }
interface OptimCase {
  name: string; optimizer: 'sgd' | 'adam'; options: Record<string, number | boolean>;
  trajectory: Params[]; finalState: Record<string, number | number[] | number[][]>;
}
const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../test/fixtures/optim-reference.json'), 'utf8'),
) as { quadratic: Record<'A' | 'b' | 'C' | 'D' | 'x0' | 'Y0', number[] | number[][]>; lrs: number[]; cases: OptimCase[] };

/** The fixture's quadratic 0.5 xᵀAx − b·x + Σ(0.5 C∘Y² + D∘Y) over variables `quad/x`, `quad/Y`. */
class Quadratic {
  readonly store = new VariableStore('quad', new SeededRng(0));
  readonly x: tf.Variable;
  readonly y: tf.Variable;
  private readonly q = fixture.quadratic;

  constructor(x0: tf.TensorLike = fixture.quadratic.x0, y0: tf.TensorLike = fixture.quadratic.Y0) {
    this.x = this.store.add('x', tf.tensor1d(x0 as number[]), true);
    this.y = this.store.add('Y', tf.tensor2d(y0 as number[][]), true);
  }

  /** One optimizer step with learning rate `lr` on the gradient at the current point. */
  step(optimizer: StatefulOptimizer, lr: number): void {
    const vars = this.store.trainableVariables();
    const { grads, value } = tf.variableGrads(() =>
      tf.tidy(() => {
        const x = this.x as tf.Tensor1D;
        const ax = tf.matMul(tf.tensor2d(this.q.A as number[][]), x.reshape([3, 1])).reshape([3]);
        const quadX = tf.sub(tf.mul(0.5, tf.dot(x, ax)), tf.dot(tf.tensor1d(this.q.b as number[]), x));
        const quadY = tf.sum(tf.add(tf.mul(0.5, tf.mul(tf.tensor2d(this.q.C as number[][]), tf.square(this.y))),
          tf.mul(tf.tensor2d(this.q.D as number[][]), this.y)));
        return tf.add(quadX, quadY) as tf.Scalar;
      }), vars);
    optimizer.apply(vars, vars.map((v) => grads[v.name]), lr);
    tf.dispose([value, ...Object.values(grads)]);
  }

  params(): Params {
    return { x: this.x.arraySync() as number[], Y: this.y.arraySync() as number[][] };
  }
}

function makeOptimizer(c: OptimCase): StatefulOptimizer {
  return c.optimizer === 'sgd' ? new SgdOptimizer({ lr: 1, ...c.options }) : new AdamOptimizer({ lr: 1, ...c.options });
}

/** Copies of every state value, by name, that outlive the optimizer. */
function snapshot(optimizer: StatefulOptimizer): Map<string, tf.Tensor> {
  return new Map([...optimizer.namedState()].map(([k, v]) => [k, v.clone()]));
}

beforeAll(async () => {
  await useTestBackend();
});

describe.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  it('follows the numpy (PyTorch-semantics) trajectory and ends in the reference state', () => {
    const quad = new Quadratic();
    const optimizer = makeOptimizer(c);
    fixture.lrs.forEach((lr, k) => {
      quad.step(optimizer, lr);
      const { x, Y } = quad.params();
      expectClose([x, Y], [c.trajectory[k].x, c.trajectory[k].Y]);
    });
    const state = optimizer.namedState();
    expect([...state.keys()].sort()).toEqual(Object.keys(c.finalState).sort());
    for (const [name, expected] of Object.entries(c.finalState)) expectClose(state.get(name)!.arraySync(), expected);
    optimizer.dispose();
    quad.store.dispose();
  });

  it('resumes from its namedState exactly as an uninterrupted run', () => {
    const straight = new Quadratic();
    const opt = makeOptimizer(c);
    for (const lr of fixture.lrs) straight.step(opt, lr);
    const expected = straight.params();
    opt.dispose();
    straight.store.dispose();

    // Interrupted after step 1: keep weights and optimizer state, throw both objects away.
    const first = new Quadratic();
    const optA = makeOptimizer(c);
    first.step(optA, fixture.lrs[0]);
    const saved = snapshot(optA);
    const weights = first.params();
    optA.dispose();
    first.store.dispose();

    for (const restore of ['restoreOptimizerState', 'zero-step-then-assign'] as const) {
      const resumed = new Quadratic(weights.x, weights.Y);
      const optB = makeOptimizer(c);
      const vars = resumed.store.trainableVariables();
      if (restore === 'restoreOptimizerState') {
        restoreOptimizerState(optB, vars, saved);
      } else {
        // What the trainer does: an update with zero gradients at lr 0 creates the state
        // without moving a weight; the checkpoint values then overwrite it.
        const zeros = vars.map((v) => tf.zerosLike(v));
        optB.apply(vars, zeros, 0);
        tf.dispose(zeros);
        expect(resumed.params()).toEqual(weights);
        for (const [name, v] of optB.namedState()) v.assign(saved.get(name)!);
      }
      for (const lr of fixture.lrs.slice(1)) resumed.step(optB, lr);
      expect(resumed.params()).toEqual(expected);
      optB.dispose();
      resumed.store.dispose();
    }
    tf.dispose([...saved.values()]);
  });
});

describe('restoreOptimizerState', () => {
  it('fails loudly on missing or unknown state', () => {
    const quad = new Quadratic();
    const vars = quad.store.trainableVariables();
    const zero = tf.zeros([3]);
    const sgd = new SgdOptimizer({ momentum: 0.9 });
    expect(() => restoreOptimizerState(sgd, vars, new Map([['optimizer/sgd/quad/x/momentum', zero]])))
      .toThrow(/missing state optimizer\/sgd\/quad\/Y\/momentum/);
    expect(() => restoreOptimizerState(sgd, vars, new Map([['optimizer/sgd/other/momentum', zero]])))
      .toThrow(/unknown state/);
    sgd.dispose();
    quad.store.dispose();
    zero.dispose();
  });
});
