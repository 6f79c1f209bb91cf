import type { ExperimentRun } from './experiment-runs';

const pct = (x: number | undefined) => (x === undefined ? '–' : `${(100 * x).toFixed(2)}`);
const pp = (x: number | undefined) => (x === undefined ? '–' : `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)}`);

/** A metric of a run's newest evaluation, by its logged key (e.g. `linear.top1`). */
function metric(run: ExperimentRun, key: string): number | undefined {
  return run.latestEval?.metrics[key];
}

/**
 * A Markdown comparison of an experiment's runs: method, encoder, training budget, the
 * newest evaluation's linear and kNN top-1, 1% / 10% label accuracy, and the differences to
 * the untrained-encoder and raw-pixel baselines (percentage points, linear / kNN). Runs are
 * sorted by linear top-1, best first; runs never evaluated come last.
 */
export function formatExperimentReport(experiment: string, runs: readonly ExperimentRun[]): string {
  const sorted = [...runs].sort((a, b) =>
    (metric(b, 'linear.top1') ?? -1) - (metric(a, 'linear.top1') ?? -1) || a.runId.localeCompare(b.runId));
  const header = ['run', 'method', 'encoder', 'epochs', 'budget', 'linear top-1', 'kNN top-1', '1% labels', '10% labels',
    'Δ untrained (linear / kNN)', 'Δ raw pixels (linear / kNN)', 'representation', 'eval (train / test images)'];
  const rows = sorted.map((r) => {
    const i = r.info;
    const examples = i.steps * i.batchSize;
    return [
      `\`${r.runId}\``, i.method, i.encoder, i.epochs === null ? '–' : String(i.epochs),
      `${i.steps} steps × ${i.batchSize} (${examples.toLocaleString('en-US')} images)`,
      pct(metric(r, 'linear.top1')), pct(metric(r, 'knn.top1')),
      pct(metric(r, 'label_1pct.top1')), pct(metric(r, 'label_10pct.top1')),
      `${pp(metric(r, 'delta_untrained.linear.top1'))} / ${pp(metric(r, 'delta_untrained.knn.top1'))}`,
      `${pp(metric(r, 'delta_raw_pixels.linear.top1'))} / ${pp(metric(r, 'delta_raw_pixels.knn.top1'))}`,
      r.latestEval?.options.representation ?? '–',
      r.latestEval ? `\`${r.latestEval.evalId}\` (${r.latestEval.data.trainCount} / ${r.latestEval.data.testCount})` : (r.status === null ? 'not evaluated (no status)' : `not evaluated (${r.status})`),
    ];
  });
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const line = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  const evaluated = sorted.find((r) => r.latestEval)?.latestEval;
  return [
    `# Experiment \`${experiment}\``,
    '',
    `${runs.length} run(s), ${runs.filter((r) => r.latestEval).length} evaluated. Top-1 accuracy on the test split, in %` +
      ' (1% / 10% labels: the linear probe trained on that fraction of the labels). Δ columns: the trained representation' +
      ' minus the same protocol on the baseline, in percentage points.',
    '',
    line(header),
    line(header.map((_, i) => (i >= 5 && i <= 10 ? '---:' : '---'))),
    ...rows.map(line),
    '',
    ...(evaluated ? [
      `Protocol (newest evaluation): ${evaluated.data.name}, ${evaluated.data.trainCount} train / ${evaluated.data.testCount} test images; ` +
        `linear probe on standardised frozen features (Adam, L2 ${evaluated.options.linearProbe ? evaluated.options.linearProbe.weightDecay : '–'}, early stopping on ` +
        `${evaluated.options.linearProbe ? 100 * evaluated.options.linearProbe.validationFraction : '–'}% of the labelled examples); ` +
        `kNN with cosine similarity, ${evaluated.options.knn ? `k=${evaluated.options.knn.k}, τ=${evaluated.options.knn.temperature}` : 'off'}; ` +
        `label fractions class balanced with seed ${evaluated.options.seed}.`,
      '',
    ] : []),
  ].join('\n');
}
