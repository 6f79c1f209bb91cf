import * as tf from '@tensorflow/tfjs';
import type { Batch, Method, Optimizer, Rng, RunStatus, Schedule, Tracker } from '../contracts';
import { checkpointDirName, type CheckpointMeta, saveCheckpoint } from './checkpoint';
import type { ProgressReporter, ProgressUpdate } from './progress';
import type { KnnMonitor } from '../monitor/knn-monitor';
import * as path from 'path';

/** A stream of training batches whose position can be saved and restored. */
export interface BatchSource {
  /** The next batch [B, H, W, C] (or [B, T, D] for sequences); the caller disposes it. */
  next(): Batch;
  /**
   * API 1.4, optional: the next batch with the dataset indices of its examples (the trainer
   * hands them to the method as `StepContext.exampleIndices`). Used instead of `next` when present.
   */
  nextBatch?(): { images: Batch; indices: Int32Array };
  /** 0-based epoch of the batch last returned. */
  readonly epoch: number;
  getState(): unknown;
  setState(state: unknown): void;
}

export interface TrainerParts {
  method: Method;
  optimizer: Optimizer;
  /** The optimizer's base learning rate; the schedule's factor multiplies it. */
  baseLr: number;
  schedule: Schedule;
  batches: BatchSource;
  rng: Rng;
  tracker: Tracker;
  progress: ProgressReporter;
  /** Online kNN accuracy of `method.encoder`, measured when due (`train.knnMonitor`). */
  monitor?: KnnMonitor;
  /** Called after every completed step (hooks, tests); must not keep tensors. */
  onStep?: (update: ProgressUpdate) => void;
}

export interface TrainerSettings {
  totalSteps: number;
  batchSize: number;
  logEvery: number;
  /** Save a checkpoint every N steps (0: only at the end). */
  checkpointEvery: number;
  checkpointsDir: string;
  configDigest: string;
  runId: string;
  /** The tracker's current run id, stored in checkpoints so `--resume` continues that run. */
  trackerRunId?: () => string | undefined;
}

export interface TrainResult {
  status: RunStatus;
  /** Steps completed in total (including those before a resume). */
  steps: number;
  firstLoss: number | null;
  finalLoss: number | null;
  /** Training examples per second over this invocation's steps. */
  examplesPerSecond: number;
  lastCheckpoint: string | null;
}

/** Raised when the loss becomes NaN or infinite; a checkpoint of the last good weights is saved first. */
export class NonFiniteLossError extends Error {
  constructor(readonly step: number, readonly loss: number, readonly checkpoint: string) {
    super(
      `loss is ${loss} at step ${step + 1}; training stopped before applying that update. ` +
        `The last good state is saved in ${checkpoint}. Lower the learning rate or check the data.`,
    );
    this.name = 'NonFiniteLossError';
  }
}

/**
 * The training loop: one gradient step per batch, optimizer update with the scheduled
 * learning rate, the method's after-step hook, metrics every `logEvery` steps,
 * checkpoints, a NaN/Inf guard, and a cooperative stop (Ctrl-C) that checkpoints.
 *
 * Synchronisation: the loss is the only value read back every step, and it has to be: the
 * NaN guard must see it before the update is applied, so that the checkpoint it saves is
 * the last good state. On the backends this runs on (tfjs-node, wasm, cpu) kernels execute
 * synchronously on the calling thread, so by the time the gradients exist the loss is
 * computed and reading 4 bytes costs ~0.1 ms of a ~100 ms step (measured with the native
 * backend at batch 256); nothing else is read per step (other metrics only every
 * `logEvery` steps; the optimizers keep their step counters in JS). For the same reason
 * there is no idle device to overlap data preparation with: a batch is gathered with
 * typed-array copies (BatchIterator, ~0.6 ms at batch 256) and its augmentations are
 * tensor ops that run as part of the step.
 */
export class Trainer {
  private stopRequested = false;

  constructor(private readonly parts: TrainerParts, private readonly settings: TrainerSettings) {}

  /** Asks the loop to stop after the current step, checkpoint, and end as KILLED. */
  requestStop(): void {
    this.stopRequested = true;
  }

  async run(startStep = 0): Promise<TrainResult> {
    const { method, optimizer, schedule, batches, rng, tracker, progress } = this.parts;
    const { totalSteps, batchSize, logEvery, checkpointEvery } = this.settings;
    const variables = method.trainableVariables();
    let firstLoss: number | null = null;
    let lastLoss: number | null = null;
    let lastCheckpoint: string | null = null;
    let status: RunStatus = 'FINISHED';
    const started = Date.now();
    let step = startStep;

    for (; step < totalSteps; step++) {
      // Let the event loop run (signals, tracker I/O): tensor reads resolve as microtasks,
      // so without this a SIGINT handler would never get a turn during training.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.stopRequested) {
        status = 'KILLED';
        break;
      }
      const batch = batches.nextBatch ? batches.nextBatch() : { images: batches.next(), indices: undefined };
      const ctx = { step, totalSteps, rng, exampleIndices: batch.indices };
      const x = batch.images;
      let metrics: Record<string, tf.Scalar> = {};
      const { value, grads } = tf.variableGrads(() => {
        const out = method.loss(x, ctx);
        metrics = Object.fromEntries(Object.entries(out.metrics).map(([k, t]) => [k, tf.keep(t)]));
        return out.loss;
      }, variables);
      x.dispose();
      const loss = (await value.data())[0];
      value.dispose();

      if (!Number.isFinite(loss)) {
        tf.dispose(Object.values(grads) as tf.Tensor[]);
        tf.dispose(Object.values(metrics));
        const dir = this.checkpoint(step, lastLoss);
        await tracker.logArtifact(dir, 'checkpoints');
        throw new NonFiniteLossError(step, loss, dir);
      }

      const lr = this.parts.baseLr * schedule.lr(step, totalSteps);
      const withGrads = variables.filter((v) => grads[v.name]);
      optimizer.apply(withGrads, withGrads.map((v) => grads[v.name]), lr);
      tf.dispose(Object.values(grads) as tf.Tensor[]);
      method.afterStep?.(ctx);

      firstLoss ??= loss;
      lastLoss = loss;
      const elapsed = (Date.now() - started) / 1000;
      const done = step + 1 - startStep;
      const examplesPerSecond = (done * batchSize) / Math.max(elapsed, 1e-9);
      // Loss, learning rate and throughput are on the host already: every step. The method's
      // own metrics need a device read: every `logEvery` steps.
      const values: Record<string, number> = { loss, lr, examples_per_second: examplesPerSecond };
      if ((step + 1) % logEvery === 0 || step + 1 === totalSteps) {
        values.epoch = batches.epoch;
        for (const [k, t] of Object.entries(metrics)) values[k] = (await t.data())[0];
      }
      let knnTop1: number | undefined;
      if (this.parts.monitor?.due(step, totalSteps)) {
        const t0 = Date.now();
        knnTop1 = this.parts.monitor.measure(method.encoder);
        values['monitor.knn_top1'] = knnTop1;
        values['monitor.knn_seconds'] = (Date.now() - t0) / 1000;
      }
      tracker.logMetrics(values, step + 1);
      tf.dispose(Object.values(metrics));
      const update: ProgressUpdate = {
        step, totalSteps, epoch: batches.epoch, loss, examplesPerSecond,
        etaSeconds: ((totalSteps - step - 1) * elapsed) / done, knnTop1,
      };
      progress.update(update);
      this.parts.onStep?.(update);
      if (checkpointEvery > 0 && (step + 1) % checkpointEvery === 0 && step + 1 < totalSteps) {
        lastCheckpoint = this.checkpoint(step + 1, loss);
      }
    }

    lastCheckpoint = this.checkpoint(step, lastLoss);
    const elapsed = (Date.now() - started) / 1000;
    return {
      status, steps: step, firstLoss, finalLoss: lastLoss, lastCheckpoint,
      examplesPerSecond: ((step - startStep) * batchSize) / Math.max(elapsed, 1e-9),
    };
  }

  /** Saves the state in which `step` steps are complete; returns the folder. */
  private checkpoint(step: number, loss: number | null): string {
    const { method, optimizer, rng, batches } = this.parts;
    const tensors = new Map<string, tf.Tensor>();
    for (const [name, v] of method.namedVariables()) tensors.set(name, v);
    for (const [name, v] of optimizer.namedState()) tensors.set(name, v);
    const meta: CheckpointMeta = {
      format: 'contrastive-checkpoint/1',
      step,
      totalSteps: this.settings.totalSteps,
      rng: rng.getState(),
      iterator: batches.getState(),
      configDigest: this.settings.configDigest,
      runId: this.settings.runId,
      trackerRunId: this.settings.trackerRunId?.(),
      savedAt: new Date().toISOString(),
      loss,
    };
    const dir = path.join(this.settings.checkpointsDir, checkpointDirName(step));
    saveCheckpoint(dir, meta, tensors);
    return dir;
  }
}
