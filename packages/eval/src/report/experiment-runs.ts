import * as fs from 'fs';
import * as path from 'path';
import type { EvalReport, EvaluatedRunInfo } from '../evaluate/eval-report';
import { DEFAULT_EXPERIMENT, describeRun } from '../evaluate/run-info';
import type { LocatedRun, RunCatalog } from '../runs/run-locator';

/** One run of an experiment with its newest evaluation, if it has one. */
export interface ExperimentRun {
  runId: string;
  runDir: string;
  status: string | null;
  info: EvaluatedRunInfo;
  /** The newest `evals/<id>/eval.json`, or null when the run was never evaluated. */
  latestEval: EvalReport | null;
}

/**
 * The runs whose `tracking.experiment` is `experiment` (runs that set none belong to
 * `contrastive`), each with its newest evaluation, as `contrastive report` tabulates them.
 */
export async function experimentRuns(catalog: RunCatalog, experiment: string): Promise<ExperimentRun[]> {
  const runs = await catalog.listRuns();
  return runs
    .filter((r) => experimentOf(r) === experiment)
    .map((r) => {
      const latestEval = newestEval(r.runDir);
      const info = latestEval?.run ?? describeRun(r, stepsFromStatus(r));
      return { runId: r.runId, runDir: r.runDir, status: r.status, info, latestEval };
    });
}

/** The experiment a run was recorded under. */
export function experimentOf(run: LocatedRun): string {
  const tracking = run.config.tracking as { experiment?: string } | undefined;
  return tracking?.experiment ?? DEFAULT_EXPERIMENT;
}

/** Every experiment name among the runs, for messages. */
export async function experimentNames(catalog: RunCatalog): Promise<string[]> {
  return [...new Set((await catalog.listRuns()).map(experimentOf))].sort();
}

function newestEval(runDir: string): EvalReport | null {
  const evalsDir = path.join(runDir, 'evals');
  if (!fs.existsSync(evalsDir)) return null;
  const reports = fs.readdirSync(evalsDir)
    .map((d) => path.join(evalsDir, d, 'eval.json'))
    .filter((f) => fs.existsSync(f))
    .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as EvalReport)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return reports.length > 0 ? reports[reports.length - 1] : null;
}

/** Steps of a never-evaluated run: its newest checkpoint's folder name says it. */
function stepsFromStatus(run: LocatedRun): number {
  const m = run.checkpoint ? /step-(\d+)$/.exec(run.checkpoint) : null;
  return m ? Number(m[1]) : 0;
}
