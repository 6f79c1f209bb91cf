import * as path from 'path';
import { runTraining, type Trainer } from '@contrastive/framework';
import { type CliIo, EXIT, println } from '../io';

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
 * a second one exits at once.
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
  process.on('SIGINT', onSigint);
  try {
    const summary = await runTraining({
      configPath: path.resolve(io.cwd, args.config),
      sets: args.set,
      resume: args.resume,
      cwd: io.cwd,
      log: io.stderr,
      silent: args.quiet,
      onTrainer: (t) => (trainer = t),
    });
    if (args.json) {
      println(io.stdout, JSON.stringify(summary));
    } else {
      println(io.stdout, `run ${summary.runId}: ${summary.status} after ${summary.steps} steps, loss ` +
        `${fmt(summary.firstLoss)} -> ${fmt(summary.finalLoss)}, ${summary.examplesPerSecond.toFixed(0)} examples/s on ${summary.backend}`);
      println(io.stdout, `checkpoint: ${summary.checkpoint}`);
    }
    return summary.status === 'FINISHED' ? EXIT.ok : EXIT.failure;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function fmt(x: number | null): string {
  return x === null ? 'n/a' : x.toFixed(4);
}
