/** How a run ended. */
export type RunStatus = 'FINISHED' | 'FAILED' | 'KILLED';

/** A data set a run read, recorded as an MLflow dataset input. */
export interface TrackedDataset {
  /** e.g. the data source's `use` name. */
  name: string;
  /** Short hash of the contents: the same data gives the same digest. */
  digest: string;
  /** What the data came from (the data options), as JSON-able values. */
  source: Record<string, unknown>;
  /** Sizes, e.g. `{ num_rows: 60000, shape: [28, 28, 1] }`. */
  profile?: Record<string, unknown>;
  /** `training`, `evaluation`, ... (MLflow's `mlflow.data.context`). */
  context: string;
}

/** What a run starts with. */
export interface TrackerStartInfo {
  name: string;
  tags: Record<string, string>;
  /** Nests this run under another (an eval run under its training run). */
  parentRunId?: string;
  /** Continue this run (an id `start` returned before, e.g. stored in a checkpoint) instead of starting a new one. */
  resumeRunId?: string;
}

/**
 * Receives everything a run records. A console tracker writes files; the MLflow tracker
 * writes to a file store or server. A tracker must never throw into training: it buffers.
 */
export interface Tracker {
  /**
   * Starts a run; returns its id (the tracking backend's id, e.g. MLflow's run id). A
   * tracker whose backend is not reachable yet may return a provisional id and expose
   * the final one as `runId` once it has it.
   */
  start(info: TrackerStartInfo): Promise<string>;
  /** The run's current public id (may replace a provisional id from `start`). */
  readonly runId?: string;
  logParams(params: Record<string, string>): void;
  logMetrics(metrics: Record<string, number>, step: number): void;
  setTags(tags: Record<string, string>): void;
  /** Records a data set the run reads (optional: trackers without dataset support skip it). */
  logDataset?(dataset: TrackedDataset): void;
  /** Records a file or folder (config, checkpoint, plot) under `artifactPath`. */
  logArtifact(localPath: string, artifactPath?: string): Promise<void>;
  end(status: RunStatus, error?: string): Promise<void>;
}
