/**
 * A training run found by its id: where its files are, its config, its newest checkpoint,
 * and the id to nest evaluation runs under.
 */
export interface LocatedRun {
  /** The id the tracker gave the training run: the parent of its eval runs. */
  runId: string;
  /** The run folder (`<train.outputDir>/<name>-<id>/`). */
  runDir: string;
  /** `config.resolved.json` as written by runTraining (defaults filled in, plus `resolvedSlots`). */
  config: Record<string, unknown>;
  /** The newest checkpoint folder (`checkpoints/step-N/`), or null when the run saved none. */
  checkpoint: string | null;
  /** Tags recorded for the run (`tags.json`), when known. */
  tags: Record<string, string>;
  /** How the run ended (`status.json`), or null while running or unknown. */
  status: string | null;
}

/**
 * Finds a training run from the id a user types (`contrastive eval --run <id>`). The
 * file-system implementation ({@link FileSystemRunLocator}) searches run folders; a tracker
 * backend (e.g. MLflow: run id -> its `contrastive.run_dir` tag) can implement the same
 * interface to resolve its own ids.
 */
export interface RunLocator {
  /** Where this locator looks, for messages (e.g. `runs/ under /home/me/project`). */
  readonly description: string;
  /**
   * @throws UserInputError (exit code 2) when no run, or more than one, matches `runId`,
   *   naming where it looked
   */
  locate(runId: string): Promise<LocatedRun>;
}

/** Lists runs, for `contrastive report`. */
export interface RunCatalog {
  listRuns(): Promise<LocatedRun[]>;
}
