import type { Metric } from '../types';

/**
 * JSON has no NaN or Infinity; MLflow's protobuf JSON accepts (and returns) the strings
 * "NaN", "Infinity" and "-Infinity" for double fields.
 */
export function encodeMetricValue(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

/** Inverse of encodeMetricValue; also accepts numbers given as strings. */
export function decodeMetricValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return Number(value);
}

/** A metric as the REST API expects it. */
export function encodeMetric(m: Metric): Record<string, unknown> {
  return { key: m.key, value: encodeMetricValue(m.value), timestamp: m.timestamp, step: m.step };
}

/** A metric as the REST API returns it (step and timestamp may be strings or absent). */
export function decodeMetric(raw: Record<string, unknown>): Metric {
  return {
    key: String(raw.key),
    value: decodeMetricValue(raw.value),
    timestamp: Number(raw.timestamp ?? 0),
    step: Number(raw.step ?? 0),
  };
}
