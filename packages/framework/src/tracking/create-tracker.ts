import { MlflowInputError, parseTrackingUri, resolveTrackingUri } from '@contrastive/mlflow-client';
import type { Tracker } from '../contracts';
import type { TrackingConfig } from '../config/validate-config';
import { UserInputError } from '../registry/errors';
import { ConsoleTracker } from './console-tracker';
import { MlflowTracker } from './mlflow-tracker';
import { isNoTracking } from './no-tracking';

/** What a tracker is created for. */
export interface TrackerContext {
  runDir: string;
  cwd: string;
  notice: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** No closing summary line (warnings are still given). */
  quiet?: boolean;
}

/**
 * The tracker a config asks for. MLflow's environment variables win over the config
 * (MLFLOW_TRACKING_URI over `tracking.uri`, MLFLOW_EXPERIMENT_NAME over `tracking.experiment`),
 * so one config can be pointed at another store. `uri: none` records into the run folder
 * only (ConsoleTracker); anything else is MLflow, by default the file store `./mlruns`.
 *
 * @throws UserInputError for a URI MLflow cannot use here (e.g. `sqlite:`), before training
 */
export function createTracker(tracking: TrackingConfig, ctx: TrackerContext): Tracker {
  const env = ctx.env ?? process.env;
  const uri = resolveTrackingUri(tracking.uri, env);
  if (isNoTracking(uri)) return new ConsoleTracker(ctx.runDir, ctx.notice);
  checkTrackingUri(uri, env.MLFLOW_TRACKING_URI?.trim() ? 'MLFLOW_TRACKING_URI' : 'tracking.uri', ctx.cwd);
  return new MlflowTracker({
    uri,
    experiment: env.MLFLOW_EXPERIMENT_NAME?.trim() || tracking.experiment,
    runDir: ctx.runDir,
    cwd: ctx.cwd,
    notice: ctx.notice,
    quiet: ctx.quiet,
    flushIntervalMs: (tracking.flushSeconds ?? 2) * 1000,
    waitAtEndMs: (tracking.waitAtEndSeconds ?? 30) * 1000,
  });
}

/** Throws a UserInputError naming `where` when MLflow cannot use the URI. */
export function checkTrackingUri(uri: string | undefined, where: string, cwd = process.cwd()): void {
  if (isNoTracking(uri)) return;
  try {
    parseTrackingUri(uri, cwd);
  } catch (err) {
    if (err instanceof MlflowInputError) throw new UserInputError(`${where}: ${err.message}`);
    throw err;
  }
}
