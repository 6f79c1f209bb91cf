/**
 * The MLflow tracking entities, as the REST API 2.0 and the file store describe them.
 * Field names follow the REST API (snake_case), so values pass through unchanged.
 */

/** How a run stands. Terminal statuses: FINISHED, FAILED, KILLED. */
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

/** `active` or `deleted` (a deleted experiment or run sits in MLflow's trash). */
export type LifecycleStage = 'active' | 'deleted';

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: LifecycleStage;
  creation_time?: number;
  last_update_time?: number;
  tags?: RunTag[];
}

export interface RunInfo {
  run_id: string;
  experiment_id: string;
  run_name: string;
  user_id: string;
  status: RunStatus;
  start_time: number;
  end_time?: number | null;
  artifact_uri: string;
  lifecycle_stage: LifecycleStage;
}

/** One value of a metric. `value` may be NaN or +-Infinity. */
export interface Metric {
  key: string;
  value: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  step: number;
}

export interface Param {
  key: string;
  value: string;
}

export interface RunTag {
  key: string;
  value: string;
}

/** A dataset recorded as a run input (MLflow's `log_input`). */
export interface Dataset {
  name: string;
  /** Short hash of the contents; MLflow shows it next to the name. */
  digest: string;
  /** Kind of source, e.g. `local`, `code`, `npm`. */
  source_type: string;
  /** JSON text describing where the data came from. */
  source: string;
  /** JSON text of the schema (optional). */
  schema?: string;
  /** JSON text with sizes, e.g. `{"num_rows": 60000}` (optional). */
  profile?: string;
}

export interface DatasetInput {
  dataset: Dataset;
  /** e.g. `mlflow.data.context` = `training`. */
  tags?: RunTag[];
}

export interface RunData {
  /** The latest value of each metric. */
  metrics: Metric[];
  params: Param[];
  tags: RunTag[];
}

export interface Run {
  info: RunInfo;
  data: RunData;
  inputs?: { dataset_inputs?: DatasetInput[] };
}

/** An entry of an artifact listing; `path` is relative to the run's artifact root. */
export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

/** Records for one `log-batch` call (before splitting to the server's limits). */
export interface LogBatch {
  metrics?: Metric[];
  params?: Param[];
  tags?: RunTag[];
}

/** What a new run starts with. */
export interface CreateRunRequest {
  experimentId: string;
  runName?: string;
  /** Milliseconds since the epoch (default: now). */
  startTime?: number;
  tags?: RunTag[];
  userId?: string;
}

/** Tag keys MLflow itself reads. */
export const MLFLOW_TAGS = {
  runName: 'mlflow.runName',
  parentRunId: 'mlflow.parentRunId',
  user: 'mlflow.user',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
  gitCommit: 'mlflow.source.git.commit',
  gitBranch: 'mlflow.source.git.branch',
  gitRepoUrl: 'mlflow.source.git.repoURL',
  note: 'mlflow.note.content',
} as const;

/** Converts a `{key: value}` mapping to MLflow's list form. */
export function toTagList(tags: Record<string, string>): RunTag[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** Converts MLflow's list form to a `{key: value}` mapping. */
export function fromTagList(tags: readonly { key: string; value: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.key, t.value]));
}

/** True for FINISHED, FAILED and KILLED. */
export function isTerminal(status: RunStatus): boolean {
  return status === 'FINISHED' || status === 'FAILED' || status === 'KILLED';
}
