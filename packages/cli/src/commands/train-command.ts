import * as path from 'path';
import { prepareRun, runTraining, UserInputError, type Trainer } from '@contrastive/framework';
import { evaluateRun, formatResultsTable, readRunFolder, resolveEvalOptions, type EvalOptions } from '@contrastive/eval';
import { type CliIo, EXIT, println } from '../io';
import { evalSummary } from './eval-command';
import { evalTrackerFor } from './eval-tracker';

export interface TrainArgs {
  config: string;
  set: string[];
  resume?: string;
  json: boolean;
  quiet: boolean;
}

/**
 * `contrastive train <config>`: trains and prints a summary; with --json the last line is
 * one JSON object. First Ctrl-C stops after the current step with a checkpoint (KILLED);
 * a second one exits at once. A non-empty `eval:` block (checked before training) runs the
 * evaluation after a finished run; its metrics go into the summary under `eval`.
 */
export async function trainCommand(args: TrainArgs, io: CliIo): Promise<number> {
  let trainer: Trainer | null = null;
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1 || !trainer) process.exit(130);
    println(io.stderr, '\ninterrupt: stopping after this step and saving a checkpoint (Ctrl-C again to exit now)');
    trainer.requestStop();
  };
  const configPath = path.resolve(io.cwd, args.config);
  const evalOptions = evalOptionsOf(configPath, args.set);
  process.on('SIGINT', onSigint);
  try {
    const summary = await runTraining({
      configPath,
      sets: args.set,
      resume: args.resume,
      cwd: io.cwd,
      log: io.stderr,
      silent: args.quiet,
      onTrainer: (t) => (trainer = t),
    });
    if (!args.json) {
      println(io.stdout, `run ${summary.runId}: ${summary.status} after ${summary.steps} steps, loss ` +
        `${fmt(summary.firstLoss)} -> ${fmt(summary.finalLoss)}, ${summary.examplesPerSecond.toFixed(0)} examples/s on ${summary.backend}`);
      println(io.stdout, `checkpoint: ${summary.checkpoint}`);
    }
    let code: number = summary.status === 'FINISHED' ? EXIT.ok : EXIT.failure;
    let evaluation: Record<string, unknown> | undefined;
    if (evalOptions && summary.status === 'FINISHED') {
      try {
        const report = await evaluateRun({
          run: { ...readRunFolder(summary.runDir), runId: summary.runId }, options: evalOptions, cwd: path.dirname(configPath),
          tracker: evalTrackerFor(readRunFolder(summary.runDir).config.tracking, io, args.quiet),
          log: args.quiet ? undefined : (line) => println(io.stderr, line),
        });
        evaluation = evalSummary(report);
        if (!args.json) println(io.stdout, `\n${formatResultsTable(report)}`);
      } catch (err) {
        // The run itself is done and recorded; report the failed evaluation with it.
        const invalid = err instanceof UserInputError;
        println(io.stderr, `error: evaluation after training failed: ${(err as Error).message}`);
        evaluation = { status: invalid ? 'INVALID' : 'FAILED', error: (err as Error).message };
        code = invalid ? EXIT.invalid : EXIT.failure;
      }
    }
    if (args.json) println(io.stdout, JSON.stringify(evaluation ? { ...summary, eval: evaluation } : summary));
    return code;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The config's `eval:` options when the block is non-empty (validated now, before training), else null. */
function evalOptionsOf(configPath: string, sets: string[]): EvalOptions | null {
  const prepared = prepareRun({ configPath, sets });
  const block = prepared.config.eval;
  if (Object.keys(block).length === 0) return null;
  return resolveEvalOptions(block, { sourceMap: prepared.sourceMap });
}

function fmt(x: number | null): string {
  return x === null ? 'n/a' : x.toFixed(4);
}
