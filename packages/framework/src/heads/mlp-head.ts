import type * as tf from '@tensorflow/tfjs';
import type { ProjectionHead, Rng } from '../contracts';
import { BatchNorm } from '../nn/batch-norm';
import { Dense } from '../nn/dense';
import { relu } from '../nn/functional';
import { VariableOwner } from '../nn/variable-owner';
import { VariableStore } from '../nn/variable-store';
import { defineComponent } from '../registry/component-definition';
import { INPUT_DIM_SCHEMA, requireInputDim } from './head-options';

/** Options of the `mlp` head. */
export interface MlpHeadOptions {
  /** Size of h (set by the method from its encoder). */
  inputDim: number;
  /** Units of each hidden layer (default [512]); [] makes a linear head. */
  hiddenDims: number[];
  /** Size of z (default 128). */
  outputDim: number;
  /** Batch norm after each hidden layer, before its ReLU (default false; SimCLR v2 uses it). */
  batchNorm: boolean;
}

/** Defaults of {@link MlpHeadOptions} (without inputDim), the same as the schema's. */
export const MLP_HEAD_DEFAULTS = { hiddenDims: [512], outputDim: 128, batchNorm: false };

/**
 * The MLP projection head of SimCLR (Chen et al. 2020, arXiv:2002.05709, section 4.2) and
 * MoCo v2 (arXiv:2003.04297): per hidden layer Dense -> (BatchNorm) -> ReLU, then a linear
 * Dense to `outputDim`. The representation evaluated is the one before the head: SimCLR
 * measured it 10+ points better than the head's output under the linear protocol.
 *
 * Shapes: [B, inputDim] -> [B, hiddenDims[0]] -> ... -> [B, outputDim].
 * Variables (prefix `head`): `head/hidden/{kernel,bias}` for the first hidden layer,
 * `head/hidden<i>/...` for later ones, `head/out/{kernel,bias}`; with batch norm the hidden
 * layers have no bias and `head/hidden<i>_bn/...`. (The first names match MoCo's earlier
 * head, so its checkpoints still load.)
 *
 * @example
 * ```yaml
 * head: { use: mlp, hiddenDims: [512], outputDim: 128, batchNorm: true }
 * ```
 */
export class MlpHead extends VariableOwner implements ProjectionHead {
  private readonly hidden: { dense: Dense; bn: BatchNorm | null }[] = [];
  private readonly out: Dense;
  readonly inputDim: number;
  readonly outputDim: number;

  constructor(options: Partial<MlpHeadOptions> & { inputDim: number }, rng: Rng, prefix = 'head') {
    super(new VariableStore(prefix, rng));
    const o = { ...MLP_HEAD_DEFAULTS, ...options };
    this.inputDim = o.inputDim;
    this.outputDim = o.outputDim;
    let units = o.inputDim;
    o.hiddenDims.forEach((width, i) => {
      const name = i === 0 ? 'hidden' : `hidden${i}`;
      const dense = new Dense(this.store, name, units, width, { bias: !o.batchNorm });
      this.hidden.push({ dense, bn: o.batchNorm ? new BatchNorm(this.store, `${name}_bn`, width) : null });
      units = width;
    });
    this.out = new Dense(this.store, 'out', units, o.outputDim);
  }

  /** @param h [B, inputDim] @returns z [B, outputDim] */
  apply(h: tf.Tensor2D, options: { training: boolean }): tf.Tensor2D {
    if (h.rank !== 2 || h.shape[1] !== this.inputDim) {
      throw new Error(`mlp head expects [B, ${this.inputDim}], got [${h.shape.join(', ')}]`);
    }
    let x = h;
    for (const { dense, bn } of this.hidden) {
      x = bn ? relu(bn.apply(dense.apply(x), options.training)) : dense.apply(x, 'relu');
    }
    return this.out.apply(x);
  }
}

/** Registry entry of the `mlp` head (kind `head`). */
export const mlpHeadDefinition = defineComponent<'head', MlpHeadOptions>({
  kind: 'head',
  name: 'mlp',
  description: 'MLP projection head (SimCLR, MoCo v2): Dense-(BN)-ReLU per hidden layer, then linear to outputDim.',
  schema: {
    type: 'object',
    properties: {
      inputDim: INPUT_DIM_SCHEMA,
      hiddenDims: {
        type: 'array', items: { type: 'integer', minimum: 1, maximum: 16384 }, maxItems: 4,
        default: MLP_HEAD_DEFAULTS.hiddenDims, description: 'Units of each hidden layer; [] is a linear head.',
      },
      outputDim: { type: 'integer', minimum: 1, maximum: 16384, default: MLP_HEAD_DEFAULTS.outputDim, description: 'Size of the head output the loss sees.' },
      batchNorm: { type: 'boolean', default: MLP_HEAD_DEFAULTS.batchNorm, description: 'Batch norm after each hidden layer (SimCLR v2).' },
    },
    additionalProperties: false,
  },
  create: (options, ctx) => new MlpHead({ ...options, inputDim: requireInputDim(options, 'mlp') }, ctx.rng.fork()),
});
