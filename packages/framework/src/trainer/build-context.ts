import type { Modality, Rng } from '../contracts';
import type { BuildContext, ComponentKind, ComponentKindMap, ComponentSpec, MethodSlots } from '../registry/component-definition';
import type { Registry } from '../registry/registry';
import { validateComponentOptions } from '../config';

/**
 * The BuildContext of a run: `build(kind, spec)` validates the spec against the
 * component's schema (filling defaults) and calls its factory, so nested parts (a method's
 * encoder, a sampler's augmentations) are built the same way as top-level ones.
 */
export function createBuildContext(
  registry: Registry,
  init: { rng: Rng; inputShape: readonly [number, number, number]; modality?: Modality; baseDir: string; slots: MethodSlots; trainingExamples?: number },
): BuildContext {
  const ctx: BuildContext = {
    ...init,
    // The same registry and rng (so initialisation stays one seeded sequence), other shapes or slots.
    derive: (changes) => createBuildContext(registry, { ...init, ...changes }),
    build<K extends ComponentKind>(kind: K, spec: ComponentSpec): ComponentKindMap[K] {
      const options = validateComponentOptions(registry, kind, spec, kind);
      const { use, ...rest } = options as ComponentSpec;
      // The context it was called on: a copy with another inputShape builds for that shape.
      return registry.get(kind, use).create(rest, this ?? ctx) as ComponentKindMap[K];
    },
  };
  return ctx;
}
