import type { TrackingBackend } from '../tracking-backend';
import type { CreateRunRequest, DatasetInput, Experiment, FileInfo, LogBatch, Metric, Run, RunInfo, RunStatus } from '../types';
import { MlflowArtifactsClient } from './artifacts-client';
import type { HttpOptions } from './http-transport';
import { MlflowRestClient } from './rest-client';

/**
 * An MLflow tracking server as a TrackingBackend: the REST client for records and the
 * artifact proxy for files.
 */
export class ServerBackend implements TrackingBackend {
  readonly rest: MlflowRestClient;
  readonly artifacts: MlflowArtifactsClient;
  private readonly artifactUris = new Map<string, string>();

  constructor(readonly uri: string, options: HttpOptions = {}) {
    this.rest = new MlflowRestClient(uri, options);
    this.artifacts = new MlflowArtifactsClient(uri, options);
  }

  getOrCreateExperiment(name: string): Promise<Experiment> {
    return this.rest.getOrCreateExperiment(name);
  }

  async createRun(req: CreateRunRequest): Promise<RunInfo> {
    const info = await this.rest.createRun(req);
    this.artifactUris.set(info.run_id, info.artifact_uri);
    return info;
  }

  async getRun(runId: string): Promise<Run> {
    const run = await this.rest.getRun(runId);
    this.artifactUris.set(runId, run.info.artifact_uri);
    return run;
  }

  findRunsByTag(experimentId: string, key: string, value: string): Promise<Run[]> {
    return this.rest.searchRuns([experimentId], { filter: `tags.\`${key}\` = '${value.replace(/'/g, "\\'")}'`, runViewType: 'ALL' });
  }

  async updateRun(runId: string, status: RunStatus, endTime?: number | null): Promise<void> {
    await this.rest.updateRun(runId, status, endTime);
  }

  logBatch(runId: string, batch: LogBatch): Promise<void> {
    return this.rest.logBatch(runId, batch);
  }

  logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    return this.rest.logInputs(runId, datasets);
  }

  async logArtifact(runId: string, localPath: string, artifactPath = ''): Promise<void> {
    await this.artifacts.upload(await this.artifactUri(runId), localPath, artifactPath);
  }

  async listArtifacts(runId: string): Promise<FileInfo[]> {
    return this.artifacts.listRecursive(await this.artifactUri(runId));
  }

  getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return this.rest.getMetricHistory(runId, key);
  }

  private async artifactUri(runId: string): Promise<string> {
    return this.artifactUris.get(runId) ?? (await this.getRun(runId)).info.artifact_uri;
  }
}
