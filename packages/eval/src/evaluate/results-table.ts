import { accuracyMetrics, timingMetrics } from './eval-metrics';
import type { EvalReport } from './eval-report';
import { fractionLabel, type FeatureSetName } from './representation-scores';

const pct = (x: number | undefined) => (x === undefined ? '-' : `${(100 * x).toFixed(2)}%`);
const pp = (x: number | undefined) => (x === undefined ? '-' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}`);

/** Rows of the results table: metric key (as in accuracyMetrics) and its label. */
function rows(report: EvalReport): [string, string][] {
  const o = report.options;
  const out: [string, string][] = [];
  if (o.linearProbe) out.push(['linear.top1', 'linear top-1'], ['linear.top5', 'linear top-5']);
  if (o.knn) out.push(['knn.top1', `kNN top-1 (k=${o.knn.k})`], ['knn.top5', `kNN top-5 (k=${o.knn.k})`]);
  for (const f of o.labelEfficiency ? [...o.labelEfficiency.fractions].sort((a, b) => a - b) : []) {
    out.push([`label_${fractionLabel(f)}.top1`, `${Number((f * 100).toPrecision(6))}% labels top-1`]);
  }
  return out;
}

/**
 * The evaluation as a plain-text table for a terminal: one row per metric, columns for the
 * trained representation, each baseline, and the differences to them in percentage points,
 * followed by the time each part took.
 */
export function formatResultsTable(report: EvalReport): string {
  // A sequence data set's shape is [T, D]: its raw-input baseline is the flattened sequence.
  const sequences = report.data.shape.length === 2;
  const sets: [FeatureSetName, string][] = [['trained', 'trained'], ['untrained', 'untrained'], ['rawPixels', sequences ? 'raw input' : 'raw pixels']];
  const present = sets.filter(([s]) => report.results[s]);
  const acc = Object.fromEntries(present.map(([s]) => [s, accuracyMetrics(report.results[s]!)]));
  const header = ['metric', ...present.map(([, l]) => l)];
  const baselines = present.filter(([s]) => s !== 'trained');
  header.push(...baselines.map(([, l]) => `Δ ${l} (pp)`));
  const body = rows(report).map(([key, label]) => [
    label,
    ...present.map(([s]) => pct(acc[s][key])),
    ...baselines.map(([s]) => pp(acc.trained?.[key] !== undefined && acc[s][key] !== undefined ? acc.trained[key] - acc[s][key] : undefined)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('   ').trimEnd();
  const r = report.run;
  const lines = [
    `eval ${report.evalId} of run ${report.parentRunId} (${r.method}, encoder ${r.encoder}, step ${report.step}), representation ${report.options.representation}`,
    `${report.data.name}: ${report.data.trainCount} train / ${report.data.testCount} test ${sequences ? 'sequences' : 'images'}, ${report.data.numClasses} classes`,
    '',
    line(header),
    ...body.map(line),
    '',
    `time: ${timeSummary(report)}`,
  ];
  if (report.plot) lines.push(`plot: ${report.plot}`);
  return lines.join('\n');
}

function timeSummary(report: EvalReport): string {
  const s = (x: number | undefined) => `${(x ?? 0).toFixed(1)} s`;
  const parts: string[] = [];
  const t = report.results.trained ? timingMetrics(report.results.trained) : {};
  parts.push(`features ${s(t['time.features_s'])}`);
  if (t['time.linear_s'] !== undefined) parts.push(`linear probe ${s(t['time.linear_s'])}`);
  if (t['time.label_efficiency_s'] !== undefined) parts.push(`label efficiency ${s(t['time.label_efficiency_s'])}`);
  if (t['time.knn_s'] !== undefined) parts.push(`kNN ${s(t['time.knn_s'])}`);
  const baselineSeconds = (['untrained', 'rawPixels'] as const)
    .map((b) => report.results[b])
    .filter((x) => !!x)
    .reduce((sum, b) => sum + Object.values(timingMetrics(b!)).reduce((a, v) => a + v, 0), 0);
  if (baselineSeconds > 0) parts.push(`baselines ${s(baselineSeconds)}`);
  if (report.metrics['time.plot_s'] !== undefined) parts.push(`plot ${s(report.metrics['time.plot_s'])}`);
  parts.push(`total ${s(report.seconds)}`);
  return parts.join(', ');
}
