import * as fs from 'fs';
import * as path from 'path';
import { isTransient } from '../errors';
import { newRunId } from '../file-store/layout';
import { encodeMetricValue } from '../rest/metric-json';
import type { TrackingBackend } from '../tracking-backend';
import { fromTagList, type DatasetInput, type LogBatch, type RunStatus } from '../types';
import { Journal } from './journal';
import { replayPending } from './replay';

export interface SpooledRunOptions {
  backend: TrackingBackend;
  /** Folder for the journal; null keeps it in memory (for a local file store). */
  spoolDir: string | null;
  experimentName: string;
  runName: string;
  tags?: Record<string, string>;
  startTime?: number;
  /** Continue this run (a server run id, or the local id of a spooled run) instead of creating one. */
  resumeRunId?: string;
  /** How often pending records are sent (default 2000 ms). */
  flushIntervalMs?: number;
  /** Longest wait between attempts while the backend is unreachable (default 30 s). */
  maxRetryDelayMs?: number;
  /** Where notices go (outage, recovery, refused records, what is left at the end). */
  notify?: (line: string) => void;
  /** Command shown for pushing leftovers later (default `contrastive mlflow sync`). */
  syncCommand?: string;
}

/**
 * An MLflow run that is written offline-first: every record goes to a journal first (on
 * disk when `spoolDir` is set) and is sent to the backend in order, in batches, by a
 * background flush. When the backend is unreachable records accumulate and are replayed
 * when it answers again; whatever is left at `close` stays in the spool folder for
 * `contrastive mlflow sync`. Logging never throws and never waits for the network.
 *
 * @example
 * const run = SpooledRun.start({ backend: new ServerBackend(uri), spoolDir: 'runs/a/mlflow-spool', experimentName: 'demo', runName: 'a' });
 * await run.connect(5000);
 * run.logBatch({ metrics: [{ key: 'loss', value: 0.3, step: 1, timestamp: Date.now() }] });
 * await run.close('FINISHED', 30_000);
 */
export class SpooledRun {
  private flushing: Promise<boolean> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private offlineSince: number | null = null;
  private nextAttempt = 0;
  private retryDelay = 1000;
  private blocked: Error | null = null;
  private lastError = '';
  private readonly notify: (line: string) => void;

  private constructor(readonly journal: Journal, private readonly options: SpooledRunOptions) {
    this.notify = options.notify ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /**
   * Starts recording. A spool folder that already holds this run's journal (same local or
   * server id as `resumeRunId`) is continued; otherwise a new journal begins with the start record.
   */
  static start(options: SpooledRunOptions): SpooledRun {
    const { spoolDir, resumeRunId } = options;
    if (spoolDir && resumeRunId && Journal.exists(spoolDir)) {
      const journal = Journal.open(spoolDir);
      if ((journal.state.localRunId === resumeRunId || journal.state.serverRunId === resumeRunId) && journal.state.uri === options.backend.uri) {
        const run = new SpooledRun(journal, options);
        journal.append({ op: 'status', status: 'RUNNING', endTime: null });
        run.startTimer();
        return run;
      }
    }
    if (spoolDir && Journal.exists(spoolDir)) {
      // Another run's (or another server's) spool: keep it, with its records, for `sync`.
      const aside = `${spoolDir}.${Date.now()}`;
      fs.renameSync(spoolDir, aside);
      (options.notify ?? ((l: string) => process.stderr.write(`${l}\n`)))(`MLflow: the earlier spool in ${spoolDir} (for ${Journal.open(aside).state.uri}) is kept as ${aside}`);
    }
    const localRunId = resumeRunId ?? newRunId();
    const journal = Journal.create(spoolDir, { localRunId, uri: options.backend.uri, experimentName: options.experimentName });
    journal.append({
      op: 'start', experimentName: options.experimentName, runName: options.runName,
      startTime: options.startTime ?? Date.now(), tags: options.tags ?? {}, ...(resumeRunId ? { resumeRunId } : {}),
    });
    const run = new SpooledRun(journal, options);
    run.startTimer();
    return run;
  }

  /** The backend's run id once the run exists there, else the local id. */
  get runId(): string {
    return this.journal.state.serverRunId ?? this.journal.state.localRunId;
  }

  /** True once the backend has acknowledged the start record. */
  get connected(): boolean {
    return this.journal.state.serverRunId !== undefined;
  }

  /** Records not yet on the backend. */
  get pendingCount(): number {
    return this.journal.pending().length;
  }

  /** Why sending stopped for good (bad credentials, deleted experiment), if it did. */
  get blockedBy(): Error | null {
    return this.blocked;
  }

  /** Tries once, for at most `timeoutMs`, to create the run on the backend; returns whether it worked. */
  async connect(timeoutMs: number): Promise<boolean> {
    await Promise.race([this.flush(), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    return this.connected;
  }

  logBatch(batch: LogBatch): void {
    this.journal.append({
      op: 'batch',
      metrics: (batch.metrics ?? []).map((m) => [m.key, encodeMetricValue(m.value), m.timestamp, m.step]),
      params: fromTagList(batch.params),
      tags: fromTagList(batch.tags),
    });
  }

  logInputs(datasets: DatasetInput[]): void {
    this.journal.append({ op: 'inputs', datasets });
  }

  /** Queues a file or folder for upload; it is read when sent, so it must stay in place. */
  logArtifact(localPath: string, artifactPath = ''): void {
    this.journal.append({ op: 'artifact', localPath: path.resolve(localPath), artifactPath });
  }

  setStatus(status: RunStatus, endTime: number | null = status === 'RUNNING' ? null : Date.now()): void {
    this.journal.append({ op: 'status', status, endTime });
  }

  /**
   * One attempt to send every pending record. Resolves true when nothing is left; never
   * rejects. Concurrent calls share one attempt.
   */
  flush(): Promise<boolean> {
    if (this.flushing) return this.flushing;
    this.flushing = this.attempt().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /**
   * Records the final status and keeps sending until everything is on the backend or
   * `timeoutMs` has passed. Returns the number of records left in the spool.
   */
  async close(status: RunStatus, timeoutMs: number): Promise<number> {
    this.setStatus(status);
    this.stopTimer();
    const deadline = Date.now() + timeoutMs;
    while (!(await this.flush()) && !this.blocked && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.retryDelay, Math.max(0, deadline - Date.now()))));
    }
    const left = this.pendingCount;
    if (left > 0) {
      const where = this.journal.dir
        ? `they are kept in ${this.journal.dir}; push them with \`${this.options.syncCommand ?? 'contrastive mlflow sync'} ${this.journal.dir} --to ${this.options.backend.uri}\``
        : 'they are lost with this process (no spool folder)';
      this.notify(`MLflow: ${left} record${left === 1 ? '' : 's'} of run ${this.runId} did not reach ${this.options.backend.uri} ` +
        `(${this.blocked?.message ?? (this.lastError || 'no answer yet')}); ${where}`);
    }
    return left;
  }

  private async attempt(): Promise<boolean> {
    if (this.blocked) return false;
    try {
      const sent = await replayPending(this.journal, this.options.backend, (line) => this.notify(`MLflow: ${line}`));
      if (this.offlineSince !== null) {
        this.notify(`MLflow: ${this.options.backend.uri} answers again; replayed ${sent} spooled record${sent === 1 ? '' : 's'} in order`);
        this.offlineSince = null;
      }
      this.retryDelay = 1000;
      return this.pendingCount === 0;
    } catch (err) {
      this.lastError = (err as Error).message;
      if (!isTransient(err)) {
        this.blocked = err as Error;
        this.notify(`MLflow: ${this.lastError}. Training goes on; the run's records are kept ` +
          `${this.journal.dir ? `in ${this.journal.dir}` : 'in memory'} and not sent again by this process.`);
        return false;
      }
      if (this.offlineSince === null) {
        this.offlineSince = Date.now();
        this.notify(`MLflow: ${this.lastError}; training goes on, records are spooled${this.journal.dir ? ` to ${this.journal.dir}` : ''} ` +
          'and replayed when the server answers');
      }
      this.nextAttempt = Date.now() + this.retryDelay;
      this.retryDelay = Math.min(this.options.maxRetryDelayMs ?? 30_000, this.retryDelay * 2);
      return false;
    }
  }

  private startTimer(): void {
    this.timer = setInterval(() => {
      if (!this.flushing && !this.blocked && Date.now() >= this.nextAttempt && this.pendingCount > 0) void this.flush();
    }, this.options.flushIntervalMs ?? 2000);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
