/** What the trainer reports after a step. */
export interface ProgressUpdate {
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  examplesPerSecond: number;
  /** Seconds left at the current speed. */
  etaSeconds: number;
  /** Online kNN top-1 in [0, 1], on the steps where `train.knnMonitor` measured it. */
  knnTop1?: number;
}

/**
 * Progress output: a bar redrawn in place on a terminal, plain lines every `every` steps
 * otherwise (CI logs, pipes), nothing when silent.
 */
export class ProgressReporter {
  private lastLineAt = -1;
  /** The latest online kNN accuracy, shown on every line after it was measured. */
  private knn: string | null = null;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly every: number,
    private readonly silent = false,
  ) {}

  update(u: ProgressUpdate): void {
    if (this.silent) return;
    const last = u.step + 1 === u.totalSteps;
    if (u.knnTop1 !== undefined) this.knn = `knn ${(100 * u.knnTop1).toFixed(1)}%`;
    const text =
      `step ${u.step + 1}/${u.totalSteps} epoch ${u.epoch + 1} loss ${u.loss.toFixed(4)} ` +
      `${this.knn ? `${this.knn} ` : ''}${u.examplesPerSecond.toFixed(0)} ex/s ETA ${formatDuration(u.etaSeconds)}`;
    if (this.stream.isTTY) {
      const width = 24;
      const filled = Math.round((width * (u.step + 1)) / u.totalSteps);
      const bar = `[${'='.repeat(filled)}${' '.repeat(width - filled)}]`;
      this.stream.write(`\r${bar} ${text}\x1b[K${last ? '\n' : ''}`);
    } else if (last || (u.step + 1) % this.every === 0 || this.lastLineAt < 0) {
      this.lastLineAt = u.step;
      this.stream.write(`${text}\n`);
    }
  }

  message(line: string): void {
    if (this.silent) return;
    this.stream.write(`${this.stream.isTTY ? '\r\x1b[K' : ''}${line}\n`);
  }
}

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
