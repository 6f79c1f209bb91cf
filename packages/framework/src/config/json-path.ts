/** One step of a path into a config: an object key or an array index. */
export type PathSegment = string | number;

/**
 * Where the values of a config came from, so errors can point at them.
 * Paths are written like `data.batchSize` and `augment[1].p`; `""` is the whole document.
 */
export interface SourceMap {
  /** The config file as the user named it. */
  file?: string;
  /** 1-based line of each path's key (or list item) in the file. */
  lines: Map<string, number>;
  /** Paths set on the command line by `--set`, with the argument that set each one. */
  overrides?: Map<string, string>;
}

/** Formats segments as a JSON path: `['augment', 1, 'p']` -> `augment[1].p`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}

/** Converts an ajv `instancePath` (JSON Pointer) to segments; array indices become numbers. */
export function pointerToSegments(pointer: string, data?: unknown): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const seg: PathSegment = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : key;
    segments.push(seg);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return segments;
}

/** Where a path's value came from: a line of the file, or a `--set` argument. */
export interface Location {
  line?: number;
  setArgument?: string;
}

/** Finds the line (or `--set` argument) of a path, falling back to its nearest ancestor. */
export function locate(source: SourceMap | undefined, segments: readonly PathSegment[]): Location {
  if (!source) return {};
  for (let n = segments.length; n >= 0; n--) {
    const path = formatPath(segments.slice(0, n));
    const setArgument = source.overrides?.get(path);
    if (setArgument !== undefined) return { setArgument };
    const line = source.lines.get(path);
    if (line !== undefined) return { line };
  }
  return {};
}

/** True when `value` is a plain object (a YAML mapping), not an array or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Reads the value at a path, or undefined when any step is missing. */
export function getAtPath(root: unknown, segments: readonly PathSegment[]): unknown {
  let node = root;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[s as string];
  }
  return node;
}

/** A short rendering of a value for error messages: `"abc"`, `0`, `null`, `[1,2]`. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
