/**
 * Helpers for this package's tests only (excluded from the build): the framework's own
 * test helpers, shared rather than copied, and a registry with this plugin.
 */
import { createRegistry, type Registry } from '@contrastive/framework';
import cmcPlugin from '../index';

export { expectClose, leakedTensors, useTestBackend } from '../../../framework/src/test-helpers';

/** The framework's built-ins and this plugin, registered as the loader would. */
export function cmcTestRegistry(): Registry {
  const registry = createRegistry();
  registry.transaction(cmcPlugin.name, (api) => cmcPlugin.register(api));
  return registry;
}
