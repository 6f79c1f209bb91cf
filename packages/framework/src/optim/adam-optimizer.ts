import * as tf from '@tensorflow/tfjs';
import { defineComponent } from '../registry/component-definition';
import { assertApplyArgs, OptimizerStateStore, type OptimizerOptions, type StatefulOptimizer } from './optimizer-state';

/** Options of the `adam` optimizer. */
export interface AdamOptions extends OptimizerOptions {
  /** Decay of the first moment, in [0, 1). Default 0.9. */
  beta1: number;
  /** Decay of the second moment, in [0, 1). Default 0.999. */
  beta2: number;
  /** Added to √v̂ in the denominator. Default 1e-8. */
  epsilon: number;
  /** Decoupled (AdamW) weight decay λ: p ← p − η·λ·p before the Adam step. Default 0. */
  weightDecay: number;
}

/** Defaults of {@link AdamOptions}, as in the component's schema. */
export const ADAM_DEFAULTS: AdamOptions = { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };

/**
 * Adam with decoupled weight decay, i.e. the semantics of PyTorch's `torch.optim.AdamW`
 * (Loshchilov & Hutter, arXiv:1711.05101); with weightDecay 0 it is plain Adam (Kingma &
 * Ba, arXiv:1412.6980). For each variable p with gradient g, learning rate η, step t:
 *
 *   p ← p·(1 − η·λ);  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²
 *   p ← p − (η / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)
 *
 * State, keyed by p's stable name (`stableNameOf`): `optimizer/adam/<p>/m` and
 * `optimizer/adam/<p>/v` (zeros at first), and one step counter `optimizer/adam/step`
 * (float32, exact to 2²⁴ steps) shared by all variables, so it is checkpointed with the
 * moments. Sharing one count matches PyTorch's
 * per-parameter counts because every apply updates every variable it is given; a variable
 * first seen after step 1 would get the later step's bias correction.
 */
export class AdamOptimizer implements StatefulOptimizer {
  readonly options: AdamOptions;
  private readonly state: OptimizerStateStore;

  constructor(options: Partial<AdamOptions> = {}, prefix = 'optimizer/adam') {
    this.options = { ...ADAM_DEFAULTS, ...options };
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    for (const [k, b] of [['beta1', beta1], ['beta2', beta2]] as const) {
      if (!(b >= 0 && b < 1)) throw new Error(`adam: ${k} must be in [0, 1), got ${b}`);
    }
    if (!(epsilon > 0)) throw new Error(`adam: epsilon must be > 0, got ${epsilon}`);
    if (!(weightDecay >= 0)) throw new Error(`adam: weightDecay must be >= 0, got ${weightDecay}`);
    this.state = new OptimizerStateStore(prefix);
  }

  /** The base learning rate. */
  get lr(): number {
    return this.options.lr;
  }

  /** Creates the step counter and the moments of `variables`. */
  initState(variables: tf.Variable[]): void {
    this.state.scalar('step');
    for (const v of variables) {
      this.state.slot(v, 'm');
      this.state.slot(v, 'v');
    }
  }

  /** One AdamW step on every variable with learning rate `lr`; leaves no tensors behind. */
  apply(variables: tf.Variable[], grads: tf.Tensor[], lr: number): void {
    assertApplyArgs(variables, grads, lr, 'adam');
    this.initState(variables);
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    const stepVar = this.state.scalar('step');
    const t = this.completedSteps(stepVar) + 1;
    // Bias corrections in double precision, as PyTorch computes them in Python floats.
    const stepSize = lr / (1 - Math.pow(beta1, t));
    const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
    tf.tidy(() => {
      variables.forEach((p, i) => {
        const g = grads[i];
        const mVar = this.state.slot(p, 'm');
        const vVar = this.state.slot(p, 'v');
        const m = tf.add(tf.mul(mVar, beta1), tf.mul(g, 1 - beta1));
        // g·g, not tf.square: the same values, and wasm's Multiply is XNNPACK's (4x faster).
        const v = tf.add(tf.mul(vVar, beta2), tf.mul(tf.mul(g, g), 1 - beta2));
        mVar.assign(m);
        vVar.assign(v);
        const decayed = weightDecay !== 0 ? tf.mul(p, 1 - lr * weightDecay) : p;
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), epsilon);
        p.assign(tf.sub(decayed, tf.mul(tf.div(m, denom), stepSize)));
      });
      stepVar.assign(tf.scalar(t, 'float32'));
    });
    this.stepCache = { dataId: stepVar.dataId, value: t };
  }

  /** The step counter as of the last assign made here (kept in JS so a step reads nothing back). */
  private stepCache: { dataId: object; value: number } | null = null;

  /**
   * Steps already taken. Read from the variable only when it was assigned elsewhere (a
   * restored checkpoint gives it a new buffer); otherwise from the JS copy, so `apply`
   * does not wait for the device.
   */
  private completedSteps(stepVar: tf.Variable): number {
    if (this.stepCache?.dataId !== stepVar.dataId) this.stepCache = { dataId: stepVar.dataId, value: stepVar.dataSync()[0] };
    return this.stepCache.value;
  }

  /** Step counter and moments by name (`optimizer/adam/step`, `.../<variable>/m`, `/v`). */
  namedState(): Map<string, tf.Variable> {
    return this.state.named();
  }

  /** Frees the state. */
  dispose(): void {
    this.state.dispose();
  }
}

/** Component definition of the `adam` optimizer (kind `optimizer`). */
export const adamOptimizerDefinition = defineComponent<'optimizer', AdamOptions>({
  kind: 'optimizer',
  name: 'adam',
  description: 'Adam with bias correction and decoupled (AdamW) weight decay (semantics of torch.optim.AdamW).',
  schema: {
    type: 'object',
    properties: {
      lr: { type: 'number', exclusiveMinimum: 0, default: ADAM_DEFAULTS.lr, description: 'Base learning rate (scaled by the schedule).' },
      beta1: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: ADAM_DEFAULTS.beta1 },
      beta2: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: ADAM_DEFAULTS.beta2 },
      epsilon: { type: 'number', exclusiveMinimum: 0, default: ADAM_DEFAULTS.epsilon },
      weightDecay: {
        type: 'number', minimum: 0, default: ADAM_DEFAULTS.weightDecay,
        description: 'Decoupled (AdamW) decay: p ← p − lr·weightDecay·p each step.',
      },
    },
    additionalProperties: false,
  },
  create: (options) => new AdamOptimizer(options),
});
