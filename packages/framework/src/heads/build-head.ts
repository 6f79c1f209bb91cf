import type { ProjectionHead } from '../contracts';
import { OPTIONAL_SLOT_DEFAULTS, type BuildContext, type ComponentSpec } from '../registry/component-definition';

/**
 * Builds the run's projection head for an encoder with `inputDim` outputs: the `head` slot
 * (the config's, else the method's default, else `none`), or `spec` when given.
 *
 * @example
 * const head = buildHead(ctx, encoder.embeddingDim); // ProjectionHead [B, inputDim] -> [B, outputDim]
 */
export function buildHead(ctx: BuildContext, inputDim: number, spec?: ComponentSpec): ProjectionHead {
  const chosen = spec ?? ctx.slots.head ?? OPTIONAL_SLOT_DEFAULTS.head;
  return ctx.build('head', { ...chosen, inputDim });
}

/** True when the spec is the identity head (`none`), i.e. the method has no head. */
export function isNoHead(spec: ComponentSpec | undefined): boolean {
  return !spec || spec.use === OPTIONAL_SLOT_DEFAULTS.head.use;
}
