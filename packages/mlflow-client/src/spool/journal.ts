import * as fs from 'fs';
import * as path from 'path';
import { MlflowInputError } from '../errors';
import type { DatasetInput, RunStatus } from '../types';

/** A metric in the journal: [key, value ("NaN"/"Infinity" as text), timestamp, step]. */
export type JournalMetric = [string, number | string, number, number];

/** One record of a run, in the order it was logged. */
export type SpoolRecord =
  | { seq: number; op: 'start'; experimentName: string; runName: string; startTime: number; tags: Record<string, string>; resumeRunId?: string }
  | { seq: number; op: 'batch'; metrics: JournalMetric[]; params: Record<string, string>; tags: Record<string, string> }
  | { seq: number; op: 'inputs'; datasets: DatasetInput[] }
  | { seq: number; op: 'artifact'; localPath: string; artifactPath: string }
  | { seq: number; op: 'status'; status: RunStatus; endTime: number | null };

/** A record before the journal numbers it. */
export type NewRecord = SpoolRecord extends infer R ? (R extends { seq: number } ? Omit<R, 'seq'> : never) : never;

/** What the journal knows besides its records. */
export interface SpoolState {
  format: typeof SPOOL_FORMAT;
  /** The run's id before the server assigned one; tagged on the server run as `contrastive.sync_id`. */
  localRunId: string;
  /** Where the records go. */
  uri: string;
  experimentName: string;
  experimentId?: string;
  /** The run's id at `uri`, once it exists there. */
  serverRunId?: string;
  /** Every record up to this sequence number is on the server. */
  ackedSeq: number;
  lastSeq: number;
}

export const SPOOL_FORMAT = 'contrastive-mlflow-spool/1';
export const JOURNAL_FILE = 'journal.jsonl';
export const STATE_FILE = 'state.json';

/**
 * The ordered records of one run that are not yet acknowledged by the tracking backend.
 * With a folder, every record is appended to `journal.jsonl` before anything is sent, so
 * nothing is lost if the process dies; `state.json` records how far the backend has
 * acknowledged. Without a folder the journal lives in memory (for a local file store).
 */
export class Journal {
  readonly state: SpoolState;
  private records: SpoolRecord[] = [];

  private constructor(readonly dir: string | null, state: SpoolState, records: SpoolRecord[]) {
    this.state = state;
    this.records = records.filter((r) => r.seq > state.ackedSeq);
  }

  /** A new journal (in `dir`, or in memory when dir is null). */
  static create(dir: string | null, init: Omit<SpoolState, 'format' | 'ackedSeq' | 'lastSeq'>): Journal {
    const journal = new Journal(dir, { format: SPOOL_FORMAT, ...init, ackedSeq: 0, lastSeq: 0 }, []);
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      journal.saveState();
    }
    return journal;
  }

  /** True when `dir` holds a journal (a `state.json` of this format; checkpoints have one too). */
  static exists(dir: string): boolean {
    try {
      return (JSON.parse(fs.readFileSync(path.join(dir, STATE_FILE), 'utf8')) as { format?: string }).format === SPOOL_FORMAT;
    } catch {
      return false;
    }
  }

  /** Opens a journal written earlier (by this process or another). */
  static open(dir: string): Journal {
    const stateFile = path.join(dir, STATE_FILE);
    let state: SpoolState;
    try {
      state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as SpoolState;
    } catch (err) {
      throw new MlflowInputError(`${stateFile}: not a readable MLflow spool (${(err as Error).message})`);
    }
    if (state.format !== SPOOL_FORMAT) throw new MlflowInputError(`${stateFile}: unknown spool format ${JSON.stringify(state.format)}`);
    const file = path.join(dir, JOURNAL_FILE);
    const records: SpoolRecord[] = [];
    if (fs.existsSync(file)) {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        try {
          records.push(JSON.parse(line) as SpoolRecord);
        } catch {
          // Only a last line cut short by a crash can be unreadable; earlier ones are complete.
          if (i < lines.length - 2) throw new MlflowInputError(`${file}:${i + 1}: unreadable journal line`);
        }
      });
    }
    state.lastSeq = Math.max(state.lastSeq, ...records.map((r) => r.seq));
    return new Journal(dir, state, records);
  }

  /** Numbers the record, writes it to disk (if persistent) and keeps it as pending. */
  append(record: NewRecord): SpoolRecord {
    const full = { seq: this.state.lastSeq + 1, ...record } as SpoolRecord;
    if (this.dir) fs.appendFileSync(path.join(this.dir, JOURNAL_FILE), `${JSON.stringify(full)}\n`);
    this.state.lastSeq = full.seq;
    this.records.push(full);
    return full;
  }

  /** Records not yet acknowledged, oldest first. */
  pending(): readonly SpoolRecord[] {
    return this.records;
  }

  /** Marks every record up to `seq` as on the server; `patch` updates the state too. */
  ack(seq: number, patch: Partial<SpoolState> = {}): void {
    Object.assign(this.state, patch, { ackedSeq: Math.max(this.state.ackedSeq, seq) });
    this.records = this.records.filter((r) => r.seq > this.state.ackedSeq);
    if (!this.dir) return;
    this.saveState();
    // Once everything is acknowledged the journal's lines are no longer needed.
    if (this.records.length === 0) fs.writeFileSync(path.join(this.dir, JOURNAL_FILE), '');
  }

  /** Updates the state without acknowledging records. */
  update(patch: Partial<SpoolState>): void {
    Object.assign(this.state, patch);
    if (this.dir) this.saveState();
  }

  private saveState(): void {
    const file = path.join(this.dir!, STATE_FILE);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(this.state, null, 2));
    fs.renameSync(`${file}.tmp`, file);
  }
}
