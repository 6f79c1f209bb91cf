import type { CreateRunRequest, DatasetInput, Experiment, FileInfo, LogBatch, Metric, Run, RunInfo, RunStatus } from './types';

/**
 * What a tracker needs from an MLflow store, whether a server (ServerBackend) or a local
 * file store (FileStore). Run ids and paths follow MLflow's conventions in both.
 */
export interface TrackingBackend {
  /** Where records go: a server URL or a file store folder. */
  readonly uri: string;
  /** The active experiment of that name, created when missing; a deleted one is an error. */
  getOrCreateExperiment(name: string): Promise<Experiment>;
  createRun(req: CreateRunRequest): Promise<RunInfo>;
  getRun(runId: string): Promise<Run>;
  /** Runs of the experiment whose tag `key` equals `value`. */
  findRunsByTag(experimentId: string, key: string, value: string): Promise<Run[]>;
  /** Sets the status; a terminal status records the end time (default now). */
  updateRun(runId: string, status: RunStatus, endTime?: number | null): Promise<void>;
  logBatch(runId: string, batch: LogBatch): Promise<void>;
  logInputs(runId: string, datasets: DatasetInput[]): Promise<void>;
  /** Copies a file, or a folder recursively, to `<artifactPath>/<basename>` of the run's artifacts. */
  logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void>;
  /** Every artifact file of the run (recursively), paths relative to its artifact root. */
  listArtifacts(runId: string): Promise<FileInfo[]>;
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
}
