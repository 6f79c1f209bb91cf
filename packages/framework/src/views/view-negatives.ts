import type * as tf from '@tensorflow/tfjs';
import type { HasVariables, NegativeSampler, StepContext } from '../contracts';
import type { BuildContext, ComponentSpec } from '../registry/component-definition';
import { prefixVariables } from './prefixed-variables';
import { viewPrefix } from './view-encoders';

/**
 * A view's negatives under the view's prefix (`view-ab/queue/keys`), delegating the rest.
 */
export class PrefixedNegatives implements NegativeSampler {
  private readonly vars: HasVariables;

  constructor(readonly inner: NegativeSampler, prefix: string) {
    this.vars = prefixVariables(inner, prefix);
  }

  candidates(keys: tf.Tensor2D, ctx?: StepContext): tf.Tensor2D {
    return this.inner.candidates(keys, ctx);
  }

  afterStep(keys: tf.Tensor2D, ctx?: StepContext): void {
    this.inner.afterStep?.(keys, ctx);
  }

  trainableVariables(): tf.Variable[] { return this.vars.trainableVariables(); }
  namedVariables(): Map<string, tf.Variable> { return this.vars.namedVariables(); }
  dispose(): void { this.vars.dispose(); }
}

/**
 * One negatives sampler per view (API 1.4), each built from `spec` (the run's `negatives`
 * slot) in a context whose `encoder` slot is that view's encoder spec (so a queue or memory
 * bank takes the view's key size), with variables under `view-<name>/`. A method contrasting
 * an anchor of view i with view j takes its candidates from view j's sampler and hands view
 * j's keys to it after the step: a `queue` then holds view j's past keys, shared by every
 * pair that contrasts against view j; a `memory-bank` holds one entry per example of view j
 * (the paper's two banks for L and ab).
 *
 * @param keyDims the size of each view's keys (its encoder's embeddingDim, or its head's outputDim)
 * @param encoderSpecs the spec each view's encoder was built from
 */
export function buildViewNegatives(
  names: readonly string[], keyDims: ReadonlyMap<string, number>, encoderSpecs: Record<string, ComponentSpec>,
  spec: ComponentSpec, ctx: BuildContext,
): Map<string, PrefixedNegatives> {
  const out = new Map<string, PrefixedNegatives>();
  for (const name of names) {
    const viewEncoder = { ...encoderSpecs[name], embeddingDim: keyDims.get(name)! };
    // The keys' size is known (encoder or head): the derived slots say so and have no head.
    const derived = ctx.derive ? ctx.derive({ slots: { ...ctx.slots, encoder: viewEncoder, head: { use: 'none' } } }) : ctx;
    out.set(name, new PrefixedNegatives(derived.build('negatives', spec), viewPrefix(name)));
  }
  return out;
}
