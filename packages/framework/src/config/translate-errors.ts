import type { ErrorObject } from 'ajv';
import { formatPath, pointerToSegments, show, type PathSegment } from './json-path';

/** An ajv error in plain words, at a path. */
export interface PlainError {
  path: PathSegment[];
  message: string;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false',
  object: 'a mapping (object)', array: 'a list (array)', null: 'null',
};

const COMPARISON: Record<string, string> = {
  minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<',
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : String(type).split(',');
  return types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
}

/** One ajv error -> a plain sentence at a path, or null for noise that another error explains. */
function translate(e: ErrorObject, root: unknown, describeUse: (path: PathSegment[]) => string): PlainError | null {
  const path = pointerToSegments(e.instancePath, root);
  const got = `(got ${show(e.data)})`;
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema as any)?.properties ?? {});
      const key = String(p.additionalProperty);
      return { path: [...path, key], message: `unknown key "${key}" (allowed: ${allowed.join(', ') || 'none'})` };
    }
    case 'type':
      return { path, message: `must be ${typeWords(p.type)} ${got}` };
    case 'required': {
      const key = String(p.missingProperty);
      const hint = key === 'use' ? ` ${describeUse(path)}` : '';
      return { path, message: `missing required key "${key}"${hint}` };
    }
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return { path, message: `must be ${COMPARISON[e.keyword]} ${p.limit} ${got}` };
    case 'enum':
      return { path, message: `must be one of: ${(p.allowedValues as unknown[]).map((v) => (typeof v === 'string' ? v : show(v))).join(', ')} ${got}` };
    case 'const':
      return { path, message: `must be ${show(p.allowedValue)} ${got}` };
    case 'minLength': case 'maxLength':
      return { path, message: `must have ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${p.limit} character(s) ${got}` };
    case 'minItems': case 'maxItems':
      return { path, message: `must have ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${p.limit} item(s) ${got}` };
    case 'uniqueItems':
      return { path, message: `must not repeat items (items ${p.j} and ${p.i} are equal)` };
    case 'multipleOf':
      return { path, message: `must be a multiple of ${p.multipleOf} ${got}` };
    case 'pattern':
      return { path, message: `must match the pattern ${p.pattern} ${got}` };
    case 'discriminator':
      // An unknown `use` is reported by the registry check, a missing one by `required`.
      if (p.error === 'mapping' || p.tagValue === undefined) return null;
      return { path: [...path, 'use'], message: `must be a string naming a component (got ${show(p.tagValue)})` };
    case 'if':
      return null; // the failing then/else branch has its own error
    default:
      return { path, message: `${e.message ?? 'is invalid'} ${got}` };
  }
}

/**
 * Translates ajv errors into plain sentences and removes the noise: errors under a value
 * whose type is already wrong, and duplicates (ajv repeats errors across oneOf branches).
 */
export function translateAjvErrors(
  errors: readonly ErrorObject[],
  root: unknown,
  describeUse: (path: PathSegment[]) => string = () => '',
): PlainError[] {
  const wrongType = errors
    .filter((e) => e.keyword === 'type')
    .map((e) => formatPath(pointerToSegments(e.instancePath, root)));
  const under = (key: string, parent: string) =>
    key === parent || parent === '' || key.startsWith(`${parent}.`) || key.startsWith(`${parent}[`);
  const seen = new Set<string>();
  const out: PlainError[] = [];
  for (const e of errors) {
    const err = translate(e, root, describeUse);
    if (!err) continue;
    const key = formatPath(err.path);
    if (e.keyword !== 'type' && wrongType.some((t) => under(key, t))) continue;
    const id = `${key}\u0000${err.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(err);
  }
  return out;
}
