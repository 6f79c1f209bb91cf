import * as path from 'path';
import type { Tracker } from '@contrastive/framework';
import { evaluateRun, FileSystemRunLocator, formatResultsTable, type EvalReport, type RunLocator } from '@contrastive/eval';
import { evalTrackerFor } from './eval-tracker';
import { type CliIo, EXIT, println } from '../io';

export interface EvalArgs {
  run: string;
  runsDir: string;
  set: string[];
  representation?: string;
  json: boolean;
  quiet: boolean;
}

/**
 * What `contrastive eval` finds runs with and records into. The defaults read run folders
 * under `--runs-dir` and record with the console tracker; the MLflow integration passes its
 * own locator (MLflow run id -> `contrastive.run_dir` tag) and tracker.
 */
export interface EvalDependencies {
  locator?: RunLocator;
  tracker?: (evalDir: string) => Tracker;
}

/**
 * `contrastive eval --run <id>`: evaluates a trained run (linear probe, kNN, label
 * efficiency, baselines, embedding plot), records a nested eval run and prints the table;
 * with --json the last line is one JSON object.
 */
export async function evalCommand(args: EvalArgs, io: CliIo, deps: EvalDependencies = {}): Promise<number> {
  const locator = deps.locator ?? new FileSystemRunLocator(path.resolve(io.cwd, args.runsDir), io.cwd);
  const run = await locator.locate(args.run);
  const sets = [...(args.representation !== undefined ? [`eval.representation=${args.representation}`] : []), ...args.set];
  const report = await evaluateRun({
    run, sets, cwd: io.cwd, tracker: deps.tracker ?? evalTrackerFor(run.config.tracking, io, args.quiet), log: args.quiet ? undefined : (line) => println(io.stderr, line),
  });
  if (!args.json) println(io.stdout, formatResultsTable(report));
  else println(io.stdout, JSON.stringify(evalSummary(report)));
  return EXIT.ok;
}

/** The JSON summary of an evaluation: what `eval --json` prints and `train --json` includes as `eval`. */
export function evalSummary(report: EvalReport): Record<string, unknown> {
  return {
    evalId: report.evalId, runId: report.parentRunId, status: 'FINISHED', step: report.step,
    representation: report.options.representation, metrics: report.metrics, plot: report.plot, evalDir: report.evalDir,
  };
}
