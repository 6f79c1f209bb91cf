import * as tf from '@tensorflow/tfjs';
import type { Encoder, EncoderOutput, HasVariables, Images } from '../contracts';
import type { BuildContext, ComponentSpec } from '../registry/component-definition';
import { UserInputError } from '../registry/errors';
import { combineVariables } from '../methods/method-parts';
import { prefixVariables } from './prefixed-variables';
import type { ViewSet } from './view-set';

/**
 * An encoder placed under a prefix (`view-L/encoder/...`): the same forward pass, its
 * variables renamed so several encoders of one spec can live in one method and checkpoint.
 */
export class PrefixedEncoder implements Encoder {
  private readonly vars: HasVariables;

  constructor(readonly inner: Encoder, readonly prefix: string) {
    this.vars = prefixVariables(inner, prefix);
  }

  get embeddingDim(): number { return this.inner.embeddingDim; }
  get featureNames(): readonly string[] { return this.inner.featureNames; }
  encode(x: Images, options: { training: boolean; features?: readonly string[] }): EncoderOutput {
    return this.inner.encode(x, options);
  }
  trainableVariables(): tf.Variable[] { return this.vars.trainableVariables(); }
  namedVariables(): Map<string, tf.Variable> { return this.vars.namedVariables(); }
  dispose(): void { this.vars.dispose(); }
}

/** The variable prefix of view `name`'s parts: `view-<name>`. */
export const viewPrefix = (name: string) => `view-${name}`;

/**
 * One encoder per view (API 1.4), built for that view's shape: `specs[name]` when given,
 * else the run's `encoder` slot. Each is built in a derived context whose `inputShape` is the
 * view's and whose `encoder` slot is the view's spec, with variables under `view-<name>/`.
 *
 * @param where JSON path of the per-view encoders, for messages
 */
export function buildViewEncoders(
  views: ViewSet, specs: Record<string, ComponentSpec> | undefined, ctx: BuildContext, where = 'method.encoders',
): Map<string, Encoder> {
  if (!ctx.derive) throw new Error('buildViewEncoders needs a BuildContext with derive() (createBuildContext makes one)');
  for (const name of Object.keys(specs ?? {})) {
    if (!views.names.includes(name)) throw new UserInputError(`${where}.${name}: no view is named "${name}"; views: ${views.names.join(', ')}`);
  }
  const encoders = new Map<string, Encoder>();
  for (const view of views.views) {
    const spec = specs?.[view.name] ?? ctx.slots.encoder;
    const derived = ctx.derive({ inputShape: view.shape, slots: { ...ctx.slots, encoder: spec } });
    encoders.set(view.name, new PrefixedEncoder(derived.build('encoder', spec), viewPrefix(view.name)));
  }
  return encoders;
}

/**
 * The representation of a multi-view model, as CMC evaluates it (arXiv:1906.05849, §4.1:
 * "concatenate the features from the L and ab encoders"): each view's transform (no
 * augmentation), its encoder, and the `global` vectors concatenated in view order.
 * Shapes: x [B, H, W, C] -> global [B, Σ embeddingDim]. `represent(x, name)` gives one
 * view's vector alone ([B, D_name]); these names are what `eval.representation` may ask for.
 */
export class MultiViewEncoder implements Encoder {
  readonly featureNames: readonly string[] = [];
  readonly embeddingDim: number;
  private readonly vars: HasVariables;

  constructor(readonly views: ViewSet, readonly encoders: ReadonlyMap<string, Encoder>) {
    this.embeddingDim = views.names.reduce((sum, n) => sum + encoders.get(n)!.embeddingDim, 0);
    this.vars = combineVariables(views.names.map((n) => encoders.get(n)!));
  }

  /** The names of the single-view representations: the view names. */
  get representationNames(): readonly string[] {
    return this.views.names;
  }

  /** View `name`'s representation [B, D_name] in evaluation mode; the caller disposes it. */
  represent(x: Images, name: string): tf.Tensor2D {
    return tf.tidy(() => this.encoders.get(this.views.get(name).name)!.encode(this.views.transform(name, x), { training: false }).global);
  }

  encode(x: Images, options: { training: boolean; features?: readonly string[] }): EncoderOutput {
    if (options.features && options.features.length > 0) {
      throw new Error(`a multi-view encoder has no feature maps (asked for ${options.features.join(', ')}); ask for a view's representation instead`);
    }
    const global = tf.tidy(() => tf.concat(this.views.names.map((n) =>
      this.encoders.get(n)!.encode(this.views.transform(n, x), { training: options.training }).global), 1) as tf.Tensor2D);
    return { global, features: {} };
  }

  trainableVariables(): tf.Variable[] { return this.vars.trainableVariables(); }
  namedVariables(): Map<string, tf.Variable> { return this.vars.namedVariables(); }
  dispose(): void { this.vars.dispose(); }
}
