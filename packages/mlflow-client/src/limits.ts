import type { LogBatch, Metric, Param, RunTag } from './types';

/**
 * MLflow's limits (mlflow/utils/validation.py): a `log-batch` request holds at most 1000
 * metrics, 100 params and 100 tags, 1000 entities in all; keys are at most 250 characters,
 * param values 6000 and tag values 8000 (the server silently truncates longer values).
 */
export const MLFLOW_LIMITS = {
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: 100,
  entitiesPerBatch: 1000,
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
} as const;

/**
 * Splits records into `log-batch` requests within the server's limits, keeping their order
 * (metrics of one key stay in step order across requests).
 */
export function splitLogBatch(batch: LogBatch): Required<LogBatch>[] {
  const metrics = [...(batch.metrics ?? [])];
  const params = [...(batch.params ?? [])];
  const tags = [...(batch.tags ?? [])];
  const out: Required<LogBatch>[] = [];
  while (metrics.length > 0 || params.length > 0 || tags.length > 0) {
    const p = params.splice(0, MLFLOW_LIMITS.paramsPerBatch);
    const t = tags.splice(0, MLFLOW_LIMITS.tagsPerBatch);
    const room = Math.min(MLFLOW_LIMITS.metricsPerBatch, MLFLOW_LIMITS.entitiesPerBatch - p.length - t.length);
    out.push({ metrics: metrics.splice(0, room), params: p, tags: t });
  }
  return out;
}

// Slashes, alphanumerics, underscores, periods, dashes, colons and spaces (MLflow on POSIX).
const VALID_KEY = /^[/\w.\- :]*$/;

/**
 * Why MLflow would refuse this key, or null when it is fine. Keys become file names in
 * the file store, so they may not be empty, start with `/`, or contain `..` segments.
 */
export function keyProblem(key: string): string | null {
  if (key.length === 0) return 'the key is empty';
  if (key.length > MLFLOW_LIMITS.keyLength) return `the key is ${key.length} characters; MLflow allows ${MLFLOW_LIMITS.keyLength}`;
  if (!VALID_KEY.test(key)) return 'keys may only contain alphanumerics, underscores, dashes, periods, spaces, colons and slashes';
  if (key.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    return 'the key would not name a unique file (leading, doubled or trailing "/", or "." / ".." segments)';
  }
  return null;
}

/** A record MLflow would refuse or alter, with the reason and what checkBatch did with it. */
export interface RejectedRecord {
  kind: 'metric' | 'param' | 'tag';
  key: string;
  reason: string;
  /** dropped: invalid key; truncated: value over the limit; kept: a non-finite metric value. */
  action: 'dropped' | 'truncated' | 'kept';
}

/**
 * Checks records before they are sent or written: invalid keys are removed and reported;
 * over-long param/tag values are truncated to MLflow's limit (as the server would) and
 * reported, so the caller can keep the full value elsewhere. Non-finite metric values are
 * kept (MLflow stores NaN, and +-Infinity as +-1.8e308) and reported.
 */
export function checkBatch(batch: LogBatch): { batch: Required<LogBatch>; problems: RejectedRecord[]; truncated: (Param | RunTag)[] } {
  const problems: RejectedRecord[] = [];
  const truncated: (Param | RunTag)[] = [];
  const keep = <T extends { key: string }>(kind: RejectedRecord['kind'], items: T[] | undefined) =>
    (items ?? []).filter((item) => {
      const reason = keyProblem(item.key);
      if (reason) problems.push({ kind, key: item.key, reason, action: 'dropped' });
      return reason === null;
    });
  const clip = <T extends Param | RunTag>(kind: 'param' | 'tag', items: T[], limit: number): T[] =>
    items.map((item) => {
      if (item.value.length <= limit) return item;
      truncated.push(item);
      problems.push({ kind, key: item.key, reason: `the value is ${item.value.length} characters; MLflow keeps the first ${limit}`, action: 'truncated' });
      return { ...item, value: item.value.slice(0, limit) };
    });
  const metrics: Metric[] = keep('metric', batch.metrics).filter((m) => {
    if (Number.isFinite(m.value)) return true;
    problems.push({
      kind: 'metric', key: m.key, action: 'kept',
      reason: `the value at step ${m.step} is ${m.value}; MLflow records it ${Number.isNaN(m.value) ? 'as NaN' : 'as +-1.8e308'}`,
    });
    return true;
  });
  return {
    batch: {
      metrics,
      params: clip('param', keep('param', batch.params), MLFLOW_LIMITS.paramValueLength),
      tags: clip('tag', keep('tag', batch.tags), MLFLOW_LIMITS.tagValueLength),
    },
    problems,
    truncated,
  };
}
