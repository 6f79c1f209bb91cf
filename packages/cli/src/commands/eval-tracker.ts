import { createTracker, type Tracker, type TrackingConfig } from '@contrastive/framework';
import { type CliIo, println } from '../io';

/**
 * The tracker for an eval run: the same backend the training run used (its resolved
 * config's `tracking` block, with MLflow's environment variables winning), so the eval run
 * nests under the training run in MLflow, or lands beside it in the run folder with
 * `tracking.uri: none`.
 */
export function evalTrackerFor(tracking: unknown, io: CliIo, quiet: boolean): (evalDir: string) => Tracker {
  return (evalDir) => createTracker((tracking ?? {}) as TrackingConfig, {
    runDir: evalDir, cwd: io.cwd, quiet, notice: (line) => println(io.stderr, line),
  });
}
