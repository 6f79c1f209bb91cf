import * as fs from 'fs';
import * as path from 'path';
import {
  MLFLOW_LIMITS, MLFLOW_TAGS, SpooledRun, checkBatch, openBackend, parseTrackingUri, type Metric, type TrackingBackend,
} from '@contrastive/mlflow-client';
import type { RunStatus, TrackedDataset, Tracker, TrackerStartInfo } from '../contracts';

/** Where and how the MLflow tracker records a run. */
export interface MlflowTrackerOptions {
  /** Tracking URI after MLFLOW_TRACKING_URI was applied: a path / file:// URI (file store) or http(s)://. Default ./mlruns. */
  uri?: string;
  /** Experiment name (default `Default`, MLflow's own). */
  experiment?: string;
  /** The run folder: the spool (`mlflow-spool/`) and long values are kept there. */
  runDir: string;
  /** Relative URIs resolve against this folder (default process.cwd()). */
  cwd?: string;
  /** How often spooled records are sent, ms (default 2000). */
  flushIntervalMs?: number;
  /** How long `end` waits for the server to take every record, ms (default 30 000). */
  waitAtEndMs?: number;
  /** How long `start` waits for the server before training goes on offline, ms (default 5000). */
  connectTimeoutMs?: number;
  /** Where notices go (default stderr). */
  notice?: (line: string) => void;
  /** Leave out the closing "run ... recorded in ..." line (warnings are still given). */
  quiet?: boolean;
}

/** Tag with the error of a FAILED run. */
export const ERROR_TAG = 'contrastive.error';

/**
 * The default tracker: records a run in MLflow, in the local file store (`./mlruns`) or on
 * a tracking server. Every record is written to a spool in the run folder first and sent
 * in batches in the background, so an unreachable or failing server never stops training
 * and never loses a record: what did not reach the server by the end stays in
 * `<run folder>/mlflow-spool` for `contrastive mlflow sync`.
 *
 * Values MLflow would refuse are handled here, with a notice: invalid keys are dropped,
 * params over 6000 characters are truncated (the full value becomes an artifact under
 * `long-params/`), NaN/infinite metrics are recorded as MLflow stores them.
 */
export class MlflowTracker implements Tracker {
  private run: SpooledRun | null = null;
  private readonly backend: TrackingBackend;
  private readonly notice: (line: string) => void;
  private readonly warnedKeys = new Set<string>();
  private experiment = 'Default';

  constructor(private readonly options: MlflowTrackerOptions) {
    this.notice = options.notice ?? ((line) => process.stderr.write(`${line}\n`));
    const cwd = options.cwd ?? process.cwd();
    // Server calls fail fast: the spool, not the request, waits out an outage.
    this.backend = openBackend(options.uri, { cwd, http: { maxRetries: 1, backoffMs: 250, timeoutMs: 15_000 } });
  }

  /** Where records go (a server URL or a file store folder). */
  get uri(): string {
    return this.backend.uri;
  }

  get runId(): string | undefined {
    return this.run?.runId;
  }

  async start(info: TrackerStartInfo): Promise<string> {
    this.experiment = this.options.experiment || 'Default';
    const [tags, long] = fitTags({ ...info.tags, ...(info.parentRunId ? { [MLFLOW_TAGS.parentRunId]: info.parentRunId } : {}) });
    this.run = SpooledRun.start({
      backend: this.backend,
      spoolDir: path.join(this.options.runDir, 'mlflow-spool'),
      experimentName: this.experiment,
      runName: info.name,
      tags,
      resumeRunId: info.resumeRunId,
      flushIntervalMs: this.options.flushIntervalMs ?? 2000,
      notify: this.notice,
      syncCommand: 'contrastive mlflow sync',
    });
    for (const [key, value] of Object.entries(long)) this.keepLongValue('tag', key, value);
    await this.run.connect(this.options.connectTimeoutMs ?? 5000);
    return this.run.runId;
  }

  logParams(params: Record<string, string>): void {
    const { batch, problems, truncated } = checkBatch({ params: Object.entries(params).map(([key, value]) => ({ key, value })) });
    for (const p of problems.filter((x) => x.action === 'dropped')) this.notice(`MLflow: param "${p.key}" not recorded: ${p.reason}`);
    this.run?.logBatch({ params: batch.params });
    for (const long of truncated) this.keepLongValue('param', long.key, long.value);
  }

  logMetrics(metrics: Record<string, number>, step: number): void {
    const timestamp = Date.now();
    const all: Metric[] = Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp, step }));
    const { batch, problems } = checkBatch({ metrics: all });
    for (const p of problems) {
      // Once per key: a diverging metric would otherwise print every step.
      const kind = `${p.key}:${p.action === 'dropped' ? 'key' : / is NaN/.test(p.reason) ? 'nan' : 'inf'}`;
      if (this.warnedKeys.has(kind)) continue;
      this.warnedKeys.add(kind);
      this.notice(`MLflow: metric "${p.key}": ${p.reason}${p.action === 'dropped' ? ' (not recorded)' : ''}`);
    }
    if (batch.metrics.length > 0) this.run?.logBatch({ metrics: batch.metrics });
  }

  setTags(tags: Record<string, string>): void {
    const [fitted, long] = fitTags(tags);
    this.run?.logBatch({ tags: Object.entries(fitted).map(([key, value]) => ({ key, value })) });
    for (const [key, value] of Object.entries(long)) this.keepLongValue('tag', key, value);
  }

  logDataset(dataset: TrackedDataset): void {
    this.run?.logInputs([{
      dataset: {
        name: dataset.name, digest: dataset.digest, source_type: 'local', source: JSON.stringify(dataset.source),
        ...(dataset.profile ? { profile: JSON.stringify(dataset.profile) } : {}),
      },
      tags: [{ key: 'mlflow.data.context', value: dataset.context }],
    }]);
  }

  async logArtifact(localPath: string, artifactPath = ''): Promise<void> {
    if (!fs.existsSync(localPath)) {
      this.notice(`MLflow: artifact ${localPath} does not exist; not recorded`);
      return;
    }
    this.run?.logArtifact(localPath, artifactPath);
  }

  async end(status: RunStatus, error?: string): Promise<void> {
    if (!this.run) return;
    if (error) this.setTags({ [ERROR_TAG]: error });
    const left = await this.run.close(status, this.options.waitAtEndMs ?? 30_000);
    const target = parseTrackingUri(this.backend.uri);
    const where = target.kind === 'server'
      ? `${this.backend.uri}/#/experiments/${this.run.journal.state.experimentId ?? ''}/runs/${this.run.runId}`
      : `${this.backend.uri} (experiment "${this.experiment}")`;
    if (!this.options.quiet || left > 0) this.notice(`MLflow run ${this.run.runId} ${status}${error ? `: ${error}` : ''}${left === 0 ? `, recorded in ${where}` : ''}`);
  }

  private keepLongValue(kind: 'param' | 'tag', key: string, value: string): void {
    const dir = path.join(this.options.runDir, `long-${kind}s`);
    const file = path.join(dir, `${key.replace(/[^\w.-]+/g, '_')}.txt`);
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(file, value);
      this.run?.logArtifact(file, `long-${kind}s`);
      this.notice(`MLflow: ${kind} "${key}" is ${value.length} characters, over MLflow's limit of ` +
        `${kind === 'param' ? MLFLOW_LIMITS.paramValueLength : MLFLOW_LIMITS.tagValueLength}: recorded truncated; ` +
        `the full value is the artifact long-${kind}s/${path.basename(file)}`);
    } catch (err) {
      this.notice(`MLflow: ${kind} "${key}" was truncated and its full value could not be saved: ${(err as Error).message}`);
    }
  }
}

/** Tags within MLflow's 8000-character limit; longer values keep their start and are returned whole as the second mapping. */
function fitTags(tags: Record<string, string>): [Record<string, string>, Record<string, string>] {
  const fitted: Record<string, string> = {};
  const long: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    fitted[key] = value.slice(0, MLFLOW_LIMITS.tagValueLength);
    if (value.length > MLFLOW_LIMITS.tagValueLength) long[key] = value;
  }
  return [fitted, long];
}
