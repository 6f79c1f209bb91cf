import type { ValidateFunction } from 'ajv';
import type { ComponentDefinition, ComponentKind, ComponentSpec } from '../registry/component-definition';
import type { Registry } from '../registry/registry';
import { compileSchema } from './ajv';
import { componentBranch } from './compose-schema';
import { ConfigError, type ConfigIssue } from './config-error';
import { formatPath, isPlainObject, locate, show, type PathSegment, type SourceMap } from './json-path';
import { translateAjvErrors } from './translate-errors';

const compiled = new WeakMap<ComponentDefinition, ValidateFunction>();

function validatorFor(def: ComponentDefinition): ValidateFunction {
  let validate = compiled.get(def);
  if (!validate) {
    validate = compileSchema(componentBranch(def), [def]);
    compiled.set(def, validate);
  }
  return validate;
}

/** Splits a path label such as `augment[1]` or `train.optimizer` into segments. */
function toSegments(path: string | readonly PathSegment[]): PathSegment[] {
  if (typeof path !== 'string') return [...path];
  const segments: PathSegment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) segments.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return segments;
}

/** The sentence for a `use` that names no registered component. */
export function unknownComponentMessage(registry: Registry, kind: ComponentKind, name: string, note = ''): string {
  const known = registry.names(kind);
  return (
    `unknown ${kind} "${name}"${note}; known ${kind} components: ${known.join(', ') || '(none)'}` +
    ' (a plugin that provides it may be missing from `plugins`)'
  );
}

/**
 * Validates one component spec (`{use, ...options}`) against the options schema of the
 * component it names and returns a copy with the schema's defaults filled in. Used for slot
 * specs that come from a method's defaults and by BuildContext.build() for nested parts.
 *
 * @param path where the spec sits, for messages: `"encoder"`, `"augment[1]"` or segments
 * @throws ConfigError naming the path (and line, given a source map) of every problem
 */
export function validateComponentOptions(
  registry: Registry,
  kind: ComponentKind,
  spec: unknown,
  path: string | readonly PathSegment[],
  source?: SourceMap,
): ComponentSpec {
  const at = toSegments(path);
  const issue = (segments: PathSegment[], message: string): ConfigIssue => ({
    path: formatPath(segments), message, file: source?.file, ...locate(source, segments),
  });
  if (!isPlainObject(spec)) {
    throw new ConfigError([issue(at, `must be a mapping with "use" naming a ${kind} component (got ${show(spec)})`)]);
  }
  if (typeof spec.use !== 'string') {
    const message = spec.use === undefined
      ? `missing required key "use" (which ${kind} to use: ${registry.names(kind).join(', ') || 'none registered'})`
      : `must be a string naming a ${kind} component (got ${show(spec.use)})`;
    throw new ConfigError([issue(spec.use === undefined ? at : [...at, 'use'], message)]);
  }
  if (!registry.has(kind, spec.use)) {
    throw new ConfigError([issue([...at, 'use'], unknownComponentMessage(registry, kind, spec.use))]);
  }
  const validate = validatorFor(registry.get(kind, spec.use));
  const copy = structuredClone(spec) as ComponentSpec;
  if (!validate(copy)) {
    const plain = translateAjvErrors(validate.errors ?? [], copy);
    throw new ConfigError(plain.map((e) => issue([...at, ...e.path], e.message)));
  }
  return copy;
}
