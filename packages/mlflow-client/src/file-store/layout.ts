import { createHash, randomBytes, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import type { Metric, RunStatus } from '../types';

/**
 * The on-disk layout of MLflow's file store, as mlflow/store/tracking/file_store.py
 * writes and reads it:
 *
 * ```
 * mlruns/<experiment id>/meta.yaml                 experiment
 * mlruns/<experiment id>/<run id>/meta.yaml        run info (status as an integer)
 * mlruns/<experiment id>/<run id>/metrics/<key>    lines "timestamp value step"
 * mlruns/<experiment id>/<run id>/params/<key>     the value
 * mlruns/<experiment id>/<run id>/tags/<key>       the value
 * mlruns/<experiment id>/<run id>/artifacts/...    files
 * mlruns/<experiment id>/<run id>/inputs/<id>/meta.yaml   dataset input
 * mlruns/<experiment id>/datasets/<id>/meta.yaml          dataset
 * mlruns/.trash/<experiment id>/...                deleted experiments
 * ```
 * Keys containing `/` become sub-folders.
 */
export const LAYOUT = {
  meta: 'meta.yaml',
  trash: '.trash',
  metrics: 'metrics',
  params: 'params',
  tags: 'tags',
  artifacts: 'artifacts',
  inputs: 'inputs',
  datasets: 'datasets',
  defaultExperimentId: '0',
} as const;

/** Folders inside an experiment folder that are not runs. */
export const RESERVED_EXPERIMENT_FOLDERS = new Set(['tags', 'datasets', 'traces', 'models']);

const STATUS_CODES: Record<RunStatus, number> = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 };

export function statusToCode(status: RunStatus): number {
  return STATUS_CODES[status];
}

export function statusFromCode(code: unknown): RunStatus {
  const found = (Object.keys(STATUS_CODES) as RunStatus[]).find((s) => STATUS_CODES[s] === Number(code));
  return found ?? 'RUNNING';
}

/** A new run id: 32 hex digits, like MLflow's (uuid4 without dashes). */
export function newRunId(): string {
  return randomUUID().replace(/-/g, '');
}

/** A new experiment id: a positive 63-bit integer as text, like MLflow's file store. */
export function newExperimentId(): string {
  return (randomBytes(8).readBigUInt64BE() >> 1n).toString();
}

/** MLflow's dataset id in the file store: md5(name + digest). */
export function datasetId(name: string, digest: string): string {
  return createHash('md5').update(name).update(digest).digest('hex');
}

/** MLflow's dataset input id in the file store: md5(dataset id + run id). */
export function datasetInputId(dsId: string, runId: string): string {
  return createHash('md5').update(dsId).update(runId).digest('hex');
}

/** Writes YAML the way PyYAML's safe_dump does for these files: block style, sorted keys. */
export function writeYaml(file: string, value: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, YAML.stringify(value, { sortMapEntries: true, lineWidth: 0 }));
  fs.renameSync(tmp, file);
}

export function readYaml<T = Record<string, unknown>>(file: string): T {
  return YAML.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** A metric line: `timestamp value step`, with MLflow's spelling of non-finite values. */
export function formatMetricLine(m: Metric): string {
  const value = Number.isNaN(m.value) ? 'nan' : m.value === Infinity ? 'inf' : m.value === -Infinity ? '-inf' : String(m.value);
  return `${Math.round(m.timestamp)} ${value} ${Math.round(m.step)}\n`;
}

/** Parses the lines of a metric file (2, 3 or 5 fields, as MLflow accepts). */
export function parseMetricLines(key: string, text: string): Metric[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((line) => {
    const parts = line.trim().split(' ');
    const raw = parts[1].toLowerCase();
    const value = raw === 'nan' ? NaN : raw === 'inf' || raw === '+inf' ? Infinity : raw === '-inf' ? -Infinity : Number(parts[1]);
    return { key, timestamp: Number(parts[0]), value, step: parts.length >= 3 ? Number(parts[2]) : 0 };
  });
}

/** The latest value of a metric as MLflow picks it: the largest (step, timestamp, value). */
export function latestMetric(history: Metric[]): Metric | undefined {
  const order = (m: Metric) => [m.step, m.timestamp, Number.isNaN(m.value) ? -Infinity : m.value];
  return history.reduce<Metric | undefined>((best, m) => {
    if (!best) return m;
    const [a, b] = [order(m), order(best)];
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i] ? m : best;
    return best;
  }, undefined);
}

/** Reads every file under `dir` as key (relative path with `/`) -> text. */
export function readKeyFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out[child] = fs.readFileSync(path.join(dir, child), 'utf8');
    }
  };
  walk('');
  return out;
}

/** A local path from a `file://` URI or a plain path; null for other schemes. */
export function localPathOfUri(uri: string): string | null {
  if (uri.startsWith('file://')) return decodeURIComponent(new URL(uri).pathname);
  if (uri.startsWith('file:')) return uri.slice('file:'.length);
  return /^[a-z][a-z0-9+.-]*:/i.test(uri) ? null : uri;
}

/** `file:///abs/path` for a local path. */
export function fileUriOf(p: string): string {
  return `file://${path.resolve(p).split(path.sep).map(encodeURIComponent).join('/')}`;
}
