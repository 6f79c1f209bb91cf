import { MlflowApiError, MlflowExperimentDeletedError } from '../errors';
import { splitLogBatch } from '../limits';
import type { CreateRunRequest, DatasetInput, Experiment, LogBatch, Metric, Run, RunInfo, RunStatus } from '../types';
import { HttpTransport, type HttpOptions } from './http-transport';
import { decodeMetric, encodeMetric } from './metric-json';

const API = '/api/2.0/mlflow';

/** Options of runs/search. */
export interface SearchRunsOptions {
  /** MLflow's filter syntax, e.g. `tags.contrastive.sync_id = 'abc'`. */
  filter?: string;
  runViewType?: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
  orderBy?: string[];
  /** Stop after this many runs (default: all pages). */
  maxResults?: number;
}

/**
 * A typed client for MLflow's tracking REST API 2.0: experiments, runs, batched logging
 * (split to the server's limits), tags, dataset inputs and metric history.
 *
 * @example
 * const client = new MlflowRestClient('http://127.0.0.1:5000');
 * const exp = await client.getOrCreateExperiment('demo');
 * const run = await client.createRun({ experimentId: exp.experiment_id, runName: 'first' });
 * await client.logBatch(run.run_id, { metrics: [{ key: 'loss', value: 0.5, step: 1, timestamp: Date.now() }] });
 * await client.updateRun(run.run_id, 'FINISHED');
 */
export class MlflowRestClient {
  readonly http: HttpTransport;

  constructor(readonly uri: string, options: HttpOptions = {}) {
    this.http = new HttpTransport(uri, options);
  }

  async createExperiment(name: string, artifactLocation?: string): Promise<string> {
    const res = await this.post<{ experiment_id: string }>('/experiments/create', { name, artifact_location: artifactLocation });
    return res.experiment_id;
  }

  /** The experiment of that name (active or deleted), or null when there is none. */
  async getExperimentByName(name: string): Promise<Experiment | null> {
    try {
      const res = await this.get<{ experiment: Experiment }>('/experiments/get-by-name', { experiment_name: name });
      return res.experiment;
    } catch (err) {
      if (err instanceof MlflowApiError && err.errorCode === 'RESOURCE_DOES_NOT_EXIST') return null;
      throw err;
    }
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    return (await this.get<{ experiment: Experiment }>('/experiments/get', { experiment_id: experimentId })).experiment;
  }

  /** Moves an experiment to the trash (its name stays taken until it is purged). */
  async deleteExperiment(experimentId: string): Promise<void> {
    await this.post('/experiments/delete', { experiment_id: experimentId });
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.post('/experiments/restore', { experiment_id: experimentId });
  }

  /**
   * The active experiment of that name, created when missing. A deleted one is an error
   * that says how to restore it, since MLflow keeps its name taken.
   */
  async getOrCreateExperiment(name: string): Promise<Experiment> {
    const found = await this.getExperimentByName(name);
    if (found && found.lifecycle_stage === 'deleted') throw deletedExperimentError(name, found.experiment_id, this.uri);
    if (found) return found;
    try {
      return await this.getExperiment(await this.createExperiment(name));
    } catch (err) {
      // Another process created it in between.
      if (err instanceof MlflowApiError && err.errorCode === 'RESOURCE_ALREADY_EXISTS') {
        const again = await this.getExperimentByName(name);
        if (again && again.lifecycle_stage === 'active') return again;
        if (again) throw deletedExperimentError(name, again.experiment_id, this.uri);
      }
      throw err;
    }
  }

  async createRun(req: CreateRunRequest): Promise<RunInfo> {
    const res = await this.post<{ run: Run }>('/runs/create', {
      experiment_id: req.experimentId,
      run_name: req.runName,
      start_time: req.startTime ?? Date.now(),
      user_id: req.userId,
      tags: req.tags ?? [],
    });
    return res.run.info;
  }

  async updateRun(runId: string, status: RunStatus, endTime?: number | null, runName?: string): Promise<RunInfo> {
    const end = endTime === undefined ? (status === 'RUNNING' ? undefined : Date.now()) : endTime ?? undefined;
    const res = await this.post<{ run_info: RunInfo }>('/runs/update', { run_id: runId, status, end_time: end, run_name: runName });
    return res.run_info;
  }

  async getRun(runId: string): Promise<Run> {
    return decodeRun((await this.get<{ run: Run }>('/runs/get', { run_id: runId })).run);
  }

  /** Every run of the experiments that matches (follows page tokens). */
  async searchRuns(experimentIds: string[], options: SearchRunsOptions = {}): Promise<Run[]> {
    const runs: Run[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.post<{ runs?: Run[]; next_page_token?: string }>('/runs/search', {
        experiment_ids: experimentIds,
        filter: options.filter,
        run_view_type: options.runViewType ?? 'ACTIVE_ONLY',
        order_by: options.orderBy,
        max_results: Math.min(1000, options.maxResults ?? 1000),
        page_token: pageToken,
      });
      runs.push(...(res.runs ?? []).map(decodeRun));
      pageToken = res.next_page_token || undefined;
    } while (pageToken && (options.maxResults === undefined || runs.length < options.maxResults));
    return options.maxResults === undefined ? runs : runs.slice(0, options.maxResults);
  }

  /**
   * Logs metrics, params and tags, in as many requests as the server's limits need
   * (1000 metrics, 100 params, 100 tags per request), in order.
   */
  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    for (const part of splitLogBatch(batch)) {
      await this.post('/runs/log-batch', {
        run_id: runId,
        metrics: part.metrics.map(encodeMetric),
        params: part.params,
        tags: part.tags,
      });
    }
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.post('/runs/set-tag', { run_id: runId, key, value });
  }

  /** Records datasets as inputs of the run (MLflow keeps one entry per name and digest). */
  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    await this.post('/runs/log-inputs', { run_id: runId, datasets });
  }

  /** Every value ever logged for the metric, in the order the server returns (follows pages). */
  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const out: Metric[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.get<{ metrics?: Record<string, unknown>[]; next_page_token?: string }>('/metrics/get-history', {
        run_id: runId, metric_key: key, page_token: pageToken, max_results: 25000,
      });
      out.push(...(res.metrics ?? []).map(decodeMetric));
      pageToken = res.next_page_token || undefined;
    } while (pageToken);
    return out;
  }

  private get<T>(path: string, query: Record<string, string | number | undefined>): Promise<T> {
    return this.http.request<T>({ method: 'GET', path: `${API}${path}`, query });
  }

  private post<T = unknown>(path: string, json: unknown): Promise<T> {
    return this.http.request<T>({ method: 'POST', path: `${API}${path}`, json });
  }
}

/** Normalises a run from the REST API: lists present, metric values decoded. */
export function decodeRun(raw: Run): Run {
  const data = raw.data ?? ({} as Run['data']);
  return {
    info: { ...raw.info, end_time: raw.info.end_time ?? null },
    data: {
      metrics: (data.metrics ?? []).map((m) => decodeMetric(m as unknown as Record<string, unknown>)),
      params: data.params ?? [],
      tags: data.tags ?? [],
    },
    inputs: { dataset_inputs: raw.inputs?.dataset_inputs ?? [] },
  };
}

function deletedExperimentError(name: string, id: string, uri: string): MlflowExperimentDeletedError {
  return new MlflowExperimentDeletedError(name, id, uri);
}
