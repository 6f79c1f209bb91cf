import { readFileSync } from 'fs';
import { dirname, extname, resolve } from 'path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError } from './config-error';
import { formatPath, type PathSegment, type SourceMap } from './json-path';

/** A config file read from disk, before validation. */
export interface LoadedConfig {
  /** The parsed document (plain JSON values). */
  raw: unknown;
  /** Line of every JSON path in the file, for error messages; pass it to validateConfig(). */
  sourceMap: SourceMap;
  /** Directory of the file; relative paths in the config resolve against it. */
  baseDir: string;
}

/** Records the line of every key and list item under `node`. */
function collectLines(node: unknown, path: PathSegment[], counter: LineCounter, lines: Map<string, number>): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const at = [...path, key];
      const offset = (pair.key as Node | null)?.range?.[0] ?? (pair.value as Node | null)?.range?.[0];
      if (offset !== undefined) lines.set(formatPath(at), counter.linePos(offset).line);
      collectLines(pair.value, at, counter, lines);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const offset = (item as Node | null)?.range?.[0];
      if (offset !== undefined) lines.set(formatPath([...path, i]), counter.linePos(offset).line);
      collectLines(item, [...path, i], counter, lines);
    });
  }
}

function parseYaml(text: string): { doc: Document; counter: LineCounter } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  return { doc, counter };
}

/** Turns a yaml parser error into a ConfigError; duplicate keys are named. */
function yamlError(file: string, counter: LineCounter, text: string, error: Document['errors'][number]): ConfigError {
  const start = error.pos[0];
  const key = /^(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^:,}\n]*[^:,}\s]))/.exec(text.slice(start));
  const message = error.code === 'DUPLICATE_KEY' && key
    ? `duplicate key "${key[1] ?? key[2] ?? key[3]}" (keys must be unique)`
    : error.message;
  return parseError(file, counter, start, message);
}

function parseError(file: string, counter: LineCounter, offset: number, message: string): ConfigError {
  const { line, col } = counter.linePos(offset);
  return new ConfigError([{ path: '', file, line, column: col, message }]);
}

/** Parses JSON with JSON.parse (the authority), turning its error position into line:column. */
function parseJson(text: string, file: string, counter: LineCounter): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const m = /at position (\d+)/.exec(message);
    const offset = m ? Number(m[1]) : text.length;
    const plain = message.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    throw parseError(file, counter, offset, `invalid JSON: ${plain}`);
  }
}

/**
 * Reads a config file: JSON (`.json`) or YAML (`.yaml`, `.yml`), keeping the line of every
 * value so validation errors can say `file:line`.
 *
 * @throws ConfigError `config file not found: <path>`; or, for malformed YAML/JSON and
 *   duplicate keys, one naming file, line and column with the parser's message
 */
export function loadConfigFile(path: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `config file not found: ${path}`
      : code === 'EISDIR' ? `config file is a directory: ${path}`
      : `cannot read config file ${path}: ${(err as Error).message}`;
    throw new ConfigError([{ path: '', message }]);
  }
  const ext = extname(path).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(ext)) {
    throw new ConfigError([{ path: '', message: `config file ${path} must end in .json, .yaml or .yml` }]);
  }
  const { doc, counter } = parseYaml(text);
  let raw: unknown;
  if (ext === '.json') {
    raw = parseJson(text, path, counter);
    const duplicate = doc.errors.find((e) => e.code === 'DUPLICATE_KEY');
    if (duplicate) throw yamlError(path, counter, text, duplicate);
  } else {
    const first = doc.errors[0];
    if (first) throw yamlError(path, counter, text, first);
    raw = doc.toJS();
  }
  const lines = new Map<string, number>();
  if (doc.errors.length === 0) collectLines(doc.contents, [], counter, lines);
  return { raw, sourceMap: { file: path, lines }, baseDir: dirname(resolve(path)) };
}
