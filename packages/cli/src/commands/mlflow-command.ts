import * as path from 'path';
import type { Command } from 'commander';
import { MlflowInputError, findSyncSources, openBackend, parseTrackingUri, syncPath, type SyncOutcome } from '@contrastive/mlflow-client';
import { UserInputError } from '@contrastive/framework';
import { type CliIo, EXIT, println } from '../io';

export interface MlflowSyncArgs {
  path: string;
  to?: string;
  json: boolean;
}

/** Adds `contrastive mlflow sync <path> --to <uri>`. */
export function addMlflowCommands(program: Command, io: CliIo, setCode: (code: number) => void): void {
  const mlflow = program.command('mlflow').description('MLflow tracking utilities');
  mlflow.command('sync <path>')
    .description('push spooled runs (a run folder, the output folder) and local file store runs (./mlruns) to a tracking server; idempotent')
    .option('--to <uri>', 'tracking URI to push to: http(s)://host:port or a file store path (default: MLFLOW_TRACKING_URI)')
    .option('--json', 'print one JSON object as the last line')
    .action(async (p, o) => setCode(await mlflowSyncCommand({ path: p, to: o.to, json: !!o.json }, io)));
}

/**
 * `contrastive mlflow sync <path> --to <uri>`: finds spools and file store runs under the
 * path and pushes what the target lacks. Running it again sends nothing new.
 * Exit 0 when every run is complete on the target, 1 when some could not be pushed.
 */
export async function mlflowSyncCommand(args: MlflowSyncArgs, io: CliIo): Promise<number> {
  const to = args.to ?? process.env.MLFLOW_TRACKING_URI;
  if (!to) throw new UserInputError('mlflow sync: say where to push with --to <uri> (or set MLFLOW_TRACKING_URI)');
  let outcomes: SyncOutcome[];
  try {
    parseTrackingUri(to, io.cwd);
    const source = path.resolve(io.cwd, args.path);
    const found = findSyncSources(source);
    if (found.spools.length === 0 && found.fileStoreRuns.length === 0) {
      throw new UserInputError(`mlflow sync: ${args.path} holds no MLflow spool (mlflow-spool/) and no file store runs (mlruns/)`);
    }
    outcomes = await syncPath(source, openBackend(to, { cwd: io.cwd }), (line) => println(io.stderr, `MLflow: ${line}`));
  } catch (err) {
    if (err instanceof MlflowInputError) throw new UserInputError(`mlflow sync: ${err.message}`);
    throw err;
  }
  const failed = outcomes.filter((o) => o.error || o.left > 0);
  for (const o of outcomes) {
    const rel = path.relative(io.cwd, o.source) || '.';
    if (o.error) println(io.stderr, `failed ${rel}: ${o.error}`);
    else println(io.stderr, `synced ${rel} -> run ${o.targetRunId} (${o.sent} ${o.kind === 'spool' ? 'records' : 'metric values'} sent${o.left ? `, ${o.left} left` : ''})`);
  }
  const summary = `${outcomes.length - failed.length} of ${outcomes.length} run${outcomes.length === 1 ? '' : 's'} complete on ${to}`;
  println(io.stdout, args.json ? JSON.stringify({ to, complete: failed.length === 0, runs: outcomes }) : summary);
  return failed.length === 0 ? EXIT.ok : EXIT.failure;
}
