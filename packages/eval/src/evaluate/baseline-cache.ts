import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { datasetValues, type Dataset } from '@contrastive/framework';
import type { EvalOptions } from '../options/eval-options';
import type { RepresentationScores } from './representation-scores';

/**
 * Version of the evaluation protocol whose baseline results the cache holds. Bump it when
 * anything that changes a baseline's numbers changes: the probe, kNN, label subsets,
 * standardisation or feature extraction code.
 */
export const BASELINE_PROTOCOL_VERSION = 1;

/**
 * Directory of cached baseline results: `$CONTRASTIVE_EVAL_CACHE_DIR` when set, else
 * `~/.cache/contrastive/eval-baselines/`. Read on every call so tests can redirect it.
 */
export function baselineCacheDir(): string {
  const fromEnv = process.env.CONTRASTIVE_EVAL_CACHE_DIR;
  return fromEnv ? path.resolve(fromEnv) : path.join(os.homedir(), '.cache', 'contrastive', 'eval-baselines');
}

/**
 * A cheap fingerprint of a split's contents: its size, shape, every label and every 997th
 * pixel (FNV-1a). Two splits that differ only in pixels the stride skips collide; what it is
 * for — a changed data block, limit, split rule or image folder — changes far more.
 */
export function datasetFingerprint(d: Dataset): string {
  let h = 0x811c9dc5;
  const mix = (v: number) => {
    h = (h ^ (v & 0xffff)) >>> 0;
    h = ((h << 24) + h * 403) >>> 0;
    h = (h ^ (v >>> 16)) >>> 0;
    h = ((h << 24) + h * 403) >>> 0;
  };
  for (const v of [d.count, ...d.shape, d.numClasses]) mix(v);
  for (let i = 0; i < d.labels.length; i++) mix(d.labels[i] + 1);
  // Pixels of an image set, values of a sequence set (the shape's length tells them apart).
  const values = datasetValues(d);
  for (let i = 0; i < values.length; i += 997) mix(Math.round(values[i] * 65535));
  return `${d.name}/${d.split}/${d.count}/${h.toString(16)}`;
}

/** What a baseline's results depend on. */
export interface BaselineKeyParts {
  /** `untrained` or `rawPixels`. */
  baseline: string;
  /** {@link datasetFingerprint} of the train and the test split. */
  train: string;
  test: string;
  /** The evaluation options that change numbers (probe, kNN, label efficiency, seed, representation). */
  options: Pick<EvalOptions, 'representation' | 'seed' | 'linearProbe' | 'knn' | 'labelEfficiency'>;
  /** Untrained only: the run seed and the model's config (method and every slot), and the code versions that build it. */
  model?: { seed: number; method: unknown; slots: unknown; versions: Record<string, string> };
  /** The compute backend (float rounding differs slightly between backends). */
  backend: string;
  protocol?: number;
}

/** The cache key: SHA-256 of the canonical JSON of the parts (protocol version included). */
export function baselineCacheKey(parts: BaselineKeyParts): string {
  const canonical = JSON.stringify(sortKeys({ ...parts, protocol: parts.protocol ?? BASELINE_PROTOCOL_VERSION }));
  return createHash('sha256').update(canonical).digest('hex');
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/**
 * Baseline results (raw pixels, untrained model) stored by key, so evaluating a run costs
 * only its own features and probes: the baselines of the same data, protocol and model
 * config are computed once. Files are written atomically (temp file + rename); an
 * unreadable entry is a miss, never an error.
 */
export class BaselineCache {
  constructor(readonly dir: string = baselineCacheDir()) {}

  get(key: string): RepresentationScores | null {
    try {
      const entry = JSON.parse(fs.readFileSync(this.file(key), 'utf8')) as { key: string; scores: RepresentationScores };
      return entry.key === key ? entry.scores : null;
    } catch {
      return null;
    }
  }

  set(key: string, scores: RepresentationScores): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file(key)}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ key, savedAt: new Date().toISOString(), scores }));
    fs.renameSync(tmp, this.file(key));
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }
}
