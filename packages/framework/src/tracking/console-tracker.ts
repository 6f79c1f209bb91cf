import * as fs from 'fs';
import * as path from 'path';
import type { RunStatus, TrackedDataset, Tracker } from '../contracts';

/**
 * A tracker that needs nothing: it keeps the run's record as files in the run folder
 * (`params.json`, `metrics.jsonl`, `tags.json`, `datasets.jsonl`, `status.json`, copies of artifacts) and
 * prints the final status. Writes are synchronous and small; a failing disk is reported
 * once and never stops training.
 */
export class ConsoleTracker implements Tracker {
  private id = '';
  private warned = false;

  constructor(
    private readonly runDir: string,
    private readonly print: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  ) {}

  async start(info: { name: string; tags: Record<string, string>; parentRunId?: string }): Promise<string> {
    this.id = path.basename(this.runDir);
    const parent = info.parentRunId ? { 'run.parent': info.parentRunId } : {};
    this.safe(() => {
      fs.mkdirSync(this.runDir, { recursive: true });
      fs.writeFileSync(path.join(this.runDir, 'tags.json'), JSON.stringify({ 'run.name': info.name, ...parent, ...info.tags }, null, 2));
    });
    return this.id;
  }

  get runId(): string {
    return this.id;
  }

  logParams(params: Record<string, string>): void {
    this.safe(() => fs.writeFileSync(path.join(this.runDir, 'params.json'), JSON.stringify(params, null, 2)));
  }

  logMetrics(metrics: Record<string, number>, step: number): void {
    this.safe(() =>
      fs.appendFileSync(path.join(this.runDir, 'metrics.jsonl'), `${JSON.stringify({ step, time: Date.now(), ...metrics })}\n`),
    );
  }

  setTags(tags: Record<string, string>): void {
    this.safe(() => {
      const file = path.join(this.runDir, 'tags.json');
      const old = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
      fs.writeFileSync(file, JSON.stringify({ ...old, ...tags }, null, 2));
    });
  }

  logDataset(dataset: TrackedDataset): void {
    this.safe(() => fs.appendFileSync(path.join(this.runDir, 'datasets.jsonl'), `${JSON.stringify(dataset)}\n`));
  }

  async logArtifact(localPath: string, artifactPath = ''): Promise<void> {
    const dest = path.join(this.runDir, 'artifacts', artifactPath, path.basename(localPath));
    if (path.resolve(localPath) === path.resolve(dest)) return;
    this.safe(() => {
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.cpSync(localPath, dest, { recursive: true });
    });
  }

  async end(status: RunStatus, error?: string): Promise<void> {
    this.safe(() =>
      fs.writeFileSync(path.join(this.runDir, 'status.json'), JSON.stringify({ status, error: error ?? null, endedAt: new Date().toISOString() }, null, 2)),
    );
    this.print(`run ${this.id} ${status}${error ? `: ${error}` : ''} (${this.runDir})`);
  }

  private safe(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (!this.warned) this.print(`warning: tracker could not write to ${this.runDir}: ${(err as Error).message}`);
      this.warned = true;
    }
  }
}
