import { isPlainObject } from './json-path';

/**
 * Flattens a config into `path -> string` pairs for MLflow params:
 * `train.optimizer.lr -> "0.06"`, list items by index (`augment.0.use -> "flip"`).
 * Empty mappings and lists appear as `{}` and `[]`; undefined values are left out.
 */
export function flattenConfig(config: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (value: unknown, path: string): void => {
    if (value === undefined) return;
    if (Array.isArray(value) || isPlainObject(value)) {
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      if (entries.length === 0 && path !== '') out[path] = Array.isArray(value) ? '[]' : '{}';
      for (const [key, v] of entries) visit(v, path === '' ? key : `${path}.${key}`);
      return;
    }
    out[path] = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  };
  visit(config, prefix);
  return out;
}
