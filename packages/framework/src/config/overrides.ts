import { parseDocument } from 'yaml';
import { UserInputError } from '../registry/errors';
import { formatPath, isPlainObject, show, type PathSegment, type SourceMap } from './json-path';

/** The outcome of applying `--set` arguments. */
export interface SetOverridesResult {
  /** A copy of the raw config with the overrides applied (the input is not modified). */
  config: Record<string, unknown>;
  /** The paths that were set, in order, e.g. `['train.epochs', 'augment[0].p']`. */
  overridden: string[];
  /** The source map given, plus which `--set` argument supplied each overridden path; pass it to validateConfig(). */
  sourceMap: SourceMap;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function bad(argument: string, why: string): UserInputError {
  return new UserInputError(`--set "${argument}": ${why}`);
}

/** Parses `a.b[2].c` into segments; rejects empty paths, empty keys and bad indices. */
export function parseSetPath(path: string, argument = path): PathSegment[] {
  const text = path.trim();
  if (text === '') throw bad(argument, 'the path before "=" is empty (expected e.g. train.epochs=3)');
  const fail = (at: number) =>
    bad(argument, `bad path "${text}" at "${text.slice(at)}" (expected "key", ".key" or "[index]", index a whole number)`);
  const head = /^[^.[\]]+/.exec(text);
  if (!head) throw fail(0);
  const segments: PathSegment[] = [head[0]];
  const next = /\.([^.[\]]+)|\[(\d+)\]/y;
  for (let at = head[0].length; at < text.length; at = next.lastIndex) {
    next.lastIndex = at;
    const m = next.exec(text);
    if (!m) throw fail(at);
    segments.push(m[1] ?? Number(m[2]));
  }
  for (const seg of segments) {
    if (typeof seg === 'string' && FORBIDDEN_KEYS.has(seg)) throw bad(argument, `"${seg}" cannot be set`);
  }
  return segments;
}

/** Parses the text after "=" as a YAML scalar or flow collection: `3`, `true`, `[a, b]`, `{use: sgd}`. */
function parseValue(text: string, argument: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) throw bad(argument, `cannot parse value "${text}": ${doc.errors[0].message}`);
  return doc.toJS();
}

/** Sets `value` at `segments`, creating missing mappings and lists; returns the path as set. */
function setAt(root: Record<string, unknown>, segments: PathSegment[], value: unknown, argument: string): PathSegment[] {
  const done: PathSegment[] = [];
  let node: unknown = root;
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    const here = formatPath(segments.slice(0, i)) || 'the config';
    let key: PathSegment = seg;
    if (Array.isArray(node)) {
      if (typeof key === 'string' && /^\d+$/.test(key)) key = Number(key);
      if (typeof key !== 'number') throw bad(argument, `${here} is a list; use ${here}[index]`);
      if (key > node.length) throw bad(argument, `index ${key} is past the end of ${here} (${node.length} items)`);
    } else if (isPlainObject(node)) {
      if (typeof key === 'number') throw bad(argument, `${here} is a mapping, not a list; use ${here}.key`);
    } else {
      throw bad(argument, `cannot set ${formatPath(segments)}: ${here} is ${show(node)}, not a mapping or list`);
    }
    done.push(key);
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[key] = value;
    } else {
      if (container[key] === undefined || container[key] === null) {
        container[key] = typeof segments[i + 1] === 'number' ? [] : {};
      }
      node = container[key];
    }
  });
  return done;
}

/**
 * Applies `--set path=value` arguments to a raw config, before validation. The value is
 * read as YAML (numbers, booleans, `[lists]`, `{mappings}`); the path (`train.epochs`,
 * `augment[0].p`) may create missing mappings. A wrong value type is left for
 * validateConfig(), which names the path and the `--set` argument.
 *
 * @throws UserInputError naming the argument when it has no "=", an empty path or a bad index
 */
export function applySetOverrides(raw: unknown, sets: readonly string[], source?: SourceMap): SetOverridesResult {
  if (raw !== null && raw !== undefined && !isPlainObject(raw)) {
    throw new UserInputError(`--set needs a config that is a mapping (got ${show(raw)})`);
  }
  const config = structuredClone((raw ?? {}) as Record<string, unknown>);
  const overrides = new Map(source?.overrides ?? []);
  const overridden: string[] = [];
  for (const argument of sets) {
    const eq = argument.indexOf('=');
    if (eq < 0) throw bad(argument, 'expected path=value (e.g. train.epochs=3)');
    const segments = parseSetPath(argument.slice(0, eq), argument);
    const path = formatPath(setAt(config, segments, parseValue(argument.slice(eq + 1), argument), argument));
    overrides.set(path, argument);
    overridden.push(path);
  }
  return { config, overridden, sourceMap: { ...(source ?? { lines: new Map() }), overrides } };
}

