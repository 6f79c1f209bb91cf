import type { ComponentSpec, MethodSlots } from '../registry/component-definition';
import { METHOD_SLOT_NAMES, OPTIONAL_SLOT_DEFAULTS } from '../registry/component-definition';
import type { Registry } from '../registry/registry';
import { validateComponentOptions } from './component-options';
import { ConfigError, type ConfigIssue } from './config-error';
import { locate, type SourceMap } from './json-path';
import type { ResolvedConfig } from './validate-config';

/** Prefixes the issues of a method default so the message says where the spec came from. */
function fromDefault<T>(method: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(err.issues.map((i) => ({ ...i, message: `${i.message} (in the default of method "${method}")` })));
  }
}

/**
 * The slots a run uses: the method's `defaults` overlaid by every slot the config sets (a
 * slot set in the config replaces the default as a whole). Each spec is validated against
 * its component's schema and returned with its defaults filled in.
 *
 * @throws ConfigError naming the method and the slot when neither provides it, or when a
 *   spec is invalid
 */
export function resolveMethodSlots(
  config: Pick<ResolvedConfig, 'method'> & Partial<MethodSlots>,
  registry: Registry,
  source?: SourceMap,
): MethodSlots {
  const method = registry.get('method', config.method.use, 'method.use');
  const defaults = method.defaults ?? {};
  const missing: ConfigIssue[] = [];
  const slots: Partial<MethodSlots> = {};
  for (const slot of METHOD_SLOT_NAMES) {
    const fromConfig = config[slot] !== undefined;
    const spec = fromConfig ? config[slot] : defaults[slot];
    if (spec === undefined) {
      missing.push({
        path: slot,
        message: `method "${method.name}" has no default ${slot} and the config sets none; add \`${slot}:\` to the config`,
        file: source?.file,
        ...locate(source, ['method']),
      });
      continue;
    }
    const check = () => {
      if (slot !== 'augment') return validateComponentOptions(registry, slot, spec, slot, fromConfig ? source : undefined);
      if (!Array.isArray(spec)) {
        throw new ConfigError([{ path: 'augment', message: 'must be a list (array) of augmentations', file: source?.file }]);
      }
      return spec.map((item, i) => validateComponentOptions(registry, 'augment', item, ['augment', i], fromConfig ? source : undefined));
    };
    (slots as Record<string, ComponentSpec | ComponentSpec[]>)[slot] = fromConfig ? check() : fromDefault(method.name, check);
  }
  if (missing.length > 0) throw new ConfigError(missing);
  // Optional slots: the config's, else the method's default, else the framework's.
  if (config.head !== undefined) {
    slots.head = validateComponentOptions(registry, 'head', config.head, 'head', source);
  } else {
    slots.head = fromDefault(method.name, () => validateComponentOptions(registry, 'head', defaults.head ?? OPTIONAL_SLOT_DEFAULTS.head, 'head'));
  }
  return slots as MethodSlots;
}
