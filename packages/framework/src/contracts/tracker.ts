/** How a run ended. */
export type RunStatus = 'FINISHED' | 'FAILED' | 'KILLED';

/**
 * Receives everything a run records. A console tracker prints; the MLflow tracker writes
 * to a file store or server. A tracker must never throw into training: it buffers.
 */
export interface Tracker {
  /**
   * Starts a run; returns its id (the tracking backend's id, e.g. MLflow's run id).
   * `parentRunId` nests this run under another (an eval run under its training run).
   */
  start(info: { name: string; tags: Record<string, string>; parentRunId?: string }): Promise<string>;
  logParams(params: Record<string, string>): void;
  logMetrics(metrics: Record<string, number>, step: number): void;
  setTags(tags: Record<string, string>): void;
  /** Records a file (config, checkpoint, plot) under `artifactPath`. */
  logArtifact(localPath: string, artifactPath?: string): Promise<void>;
  end(status: RunStatus, error?: string): Promise<void>;
}
