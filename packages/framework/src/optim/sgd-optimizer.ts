import * as tf from '@tensorflow/tfjs';
import { defineComponent } from '../registry/component-definition';
import { assertApplyArgs, OptimizerStateStore, type OptimizerOptions, type StatefulOptimizer } from './optimizer-state';

/** Options of the `sgd` optimizer. */
export interface SgdOptions extends OptimizerOptions {
  /** Momentum factor μ in [0, 1]; 0 disables the buffer. Default 0.9. */
  momentum: number;
  /** L2 penalty λ added to the gradient (coupled, as in torch.optim.SGD). Default 0. */
  weightDecay: number;
  /** Nesterov momentum (needs momentum > 0). Default false. */
  nesterov: boolean;
}

/** Defaults of {@link SgdOptions}, as in the component's schema. */
export const SGD_DEFAULTS: SgdOptions = { lr: 0.1, momentum: 0.9, weightDecay: 0, nesterov: false };

/**
 * Stochastic gradient descent with the semantics of PyTorch's `torch.optim.SGD`
 * (dampening 0). For each variable p with gradient g and learning rate η:
 *
 *   g ← g + λ·p;   b ← μ·b + g;   g ← nesterov ? g + μ·b : b;   p ← p − η·g
 *
 * The momentum buffer b is the state `optimizer/sgd/<stable name of p>/momentum`, created as
 * zeros, which reproduces PyTorch's "first step b = g" exactly (μ·0 + g = g).
 */
export class SgdOptimizer implements StatefulOptimizer {
  readonly options: SgdOptions;
  private readonly state: OptimizerStateStore;

  constructor(options: Partial<SgdOptions> = {}, prefix = 'optimizer/sgd') {
    this.options = { ...SGD_DEFAULTS, ...options };
    const { momentum, weightDecay, nesterov } = this.options;
    if (!(momentum >= 0 && momentum <= 1)) throw new Error(`sgd: momentum must be in [0, 1], got ${momentum}`);
    if (!(weightDecay >= 0)) throw new Error(`sgd: weightDecay must be >= 0, got ${weightDecay}`);
    if (nesterov && momentum === 0) throw new Error('sgd: nesterov needs momentum > 0');
    this.state = new OptimizerStateStore(prefix);
  }

  /** The base learning rate. */
  get lr(): number {
    return this.options.lr;
  }

  /** Creates the momentum buffers of `variables` (none when momentum is 0). */
  initState(variables: tf.Variable[]): void {
    if (this.options.momentum > 0) for (const v of variables) this.state.slot(v, 'momentum');
  }

  /** One SGD step on every variable with learning rate `lr`; leaves no tensors behind. */
  apply(variables: tf.Variable[], grads: tf.Tensor[], lr: number): void {
    assertApplyArgs(variables, grads, lr, 'sgd');
    this.initState(variables);
    const { momentum, weightDecay, nesterov } = this.options;
    tf.tidy(() => {
      variables.forEach((p, i) => {
        let g: tf.Tensor = grads[i];
        if (weightDecay !== 0) g = tf.add(g, tf.mul(p, weightDecay));
        if (momentum !== 0) {
          const bufVar = this.state.slot(p, 'momentum');
          const buf = tf.add(tf.mul(bufVar, momentum), g);
          bufVar.assign(buf);
          g = nesterov ? tf.add(g, tf.mul(buf, momentum)) : buf;
        }
        p.assign(tf.sub(p, tf.mul(g, lr)));
      });
    });
  }

  /** Momentum buffers by name (`optimizer/sgd/<variable>/momentum`). */
  namedState(): Map<string, tf.Variable> {
    return this.state.named();
  }

  /** Frees the momentum buffers. */
  dispose(): void {
    this.state.dispose();
  }
}

/** Component definition of the `sgd` optimizer (kind `optimizer`). */
export const sgdOptimizerDefinition = defineComponent<'optimizer', SgdOptions>({
  kind: 'optimizer',
  name: 'sgd',
  description: 'SGD with momentum, optional Nesterov and L2 weight decay (semantics of torch.optim.SGD).',
  schema: {
    type: 'object',
    properties: {
      lr: { type: 'number', exclusiveMinimum: 0, default: SGD_DEFAULTS.lr, description: 'Base learning rate (scaled by the schedule).' },
      momentum: { type: 'number', minimum: 0, maximum: 1, default: SGD_DEFAULTS.momentum },
      weightDecay: { type: 'number', minimum: 0, default: SGD_DEFAULTS.weightDecay, description: 'L2 penalty added to the gradient.' },
      nesterov: { type: 'boolean', default: SGD_DEFAULTS.nesterov },
    },
    additionalProperties: false,
  },
  create: (options) => new SgdOptimizer(options),
});
