import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { inputShapeOf, isSequenceDataset, modalityOf, type Optimizer, type Tracker } from '../contracts';
import { explainBackendError, selectBackend, type BackendChoice } from '../backend';
import { BatchIterator } from '../data';
import { flattenConfig } from '../config';
import { SeededRng } from '../util/rng';
import type { OptimizerOptions } from '../optim';
import { createTracker } from '../tracking/create-tracker';
import { runContextTags } from '../tracking/run-context';
import { curveSvg, type CurvePoint } from './loss-plot';
import { configSummary, trainingDataset } from './run-records';
import { createBuildContext } from './build-context';
import { loadCheckpoint, restoreVariables } from './checkpoint';
import { findCheckpoint } from './find-checkpoint';
import { prepareRun, type ConfigInput, type PreparedRun } from './prepare-run';
import { ProgressReporter, type ProgressUpdate } from './progress';
import { Trainer, type TrainResult } from './trainer';
import { UserInputError } from '../registry/errors';
import { KnnMonitor } from '../monitor/knn-monitor';

export interface TrainOptions extends ConfigInput {
  /** A checkpoint folder, a run folder (its latest checkpoint) or a run id under outputDir. */
  resume?: string;
  /** Directory `train.outputDir` resolves against (default process.cwd()). */
  cwd?: string;
  /** Where progress and notices go (default stderr). */
  log?: NodeJS.WritableStream & { isTTY?: boolean };
  silent?: boolean;
  /** Called once the trainer exists, e.g. to wire Ctrl-C to `trainer.requestStop()`. */
  onTrainer?: (trainer: Trainer) => void;
  /** Called after every completed step. */
  onStep?: (update: ProgressUpdate) => void;
  /**
   * Tracker to use (default: from the config's `tracking:` block, i.e. MLflow in `./mlruns`,
   * or a server; `tracking.uri: none` records into the run folder only).
   */
  tracker?: (runDir: string) => Tracker;
  /** Environment for MLflow's variables (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** What `contrastive train --json` prints. */
export interface TrainSummary extends Omit<TrainResult, 'lastCheckpoint'> {
  runId: string;
  runDir: string;
  backend: string;
  checkpoint: string | null;
  totalSteps: number;
}

/** Validates the config, builds every part, trains, checkpoints and records the run. */
export async function runTraining(options: TrainOptions): Promise<TrainSummary> {
  const prepared = prepareRun(options);
  const { config, registry, slots, baseDir } = prepared;
  const log = options.log ?? process.stderr;
  // Outputs go where the user runs the command; inputs (data paths) resolve against the config.
  const cwd = options.cwd ?? process.cwd();
  const notice = (line: string) => (options.silent ? undefined : log.write(`${line}\n`));
  const resumeFrom = options.resume ? findCheckpoint(options.resume, path.resolve(cwd, config.train.outputDir), cwd) : null;

  const backend = await selectBackend(config.backend as BackendChoice, { notice });
  const rng = new SeededRng(config.seed);
  // Data first: the model's input shape comes from it.
  const dataSource = createBuildContext(registry, { rng: rng.fork(), inputShape: [0, 0, 0], baseDir, slots })
    .build('data', config.data);
  const dataset = await dataSource.load('train');
  const batchSize = config.data.batchSize as number;
  if (dataset.count < batchSize) {
    throw new UserInputError(`data.batchSize: ${batchSize} is larger than the ${dataset.count} training examples of "${config.data.use}"`);
  }
  const ctx = createBuildContext(registry, { rng: rng.fork(), inputShape: inputShapeOf(dataset), modality: modalityOf(dataset), baseDir, slots, trainingExamples: dataset.count });
  const method = ctx.build('method', config.method);
  const optimizerSpec = config.train.optimizer;
  const optimizer = ctx.build('optimizer', optimizerSpec);
  const schedule = ctx.build('schedule', config.train.schedule);
  const batches = new BatchIterator(dataset, batchSize, rng.fork());
  // Built before the run starts so a data set without labels fails before anything is written.
  const monitor = config.train.knnMonitor
    ? new KnnMonitor(config.train.knnMonitor, dataset, await dataSource.load('test'))
    : undefined;
  const perEpoch = Math.floor(dataset.count / batchSize);
  // maxSteps caps a run given in epochs (or steps): documented in the schema, honoured here.
  const totalSteps = Math.min(config.train.steps ?? (config.train.epochs ?? 1) * perEpoch, config.train.maxSteps ?? Infinity);
  const configDigest = digestOf(prepared);

  let startStep = 0;
  let resumeRunId: string | undefined;
  let runId = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
  let runDir = path.resolve(cwd, config.train.outputDir, `${config.name}-${runId}`);
  if (resumeFrom) {
    const ckpt = loadCheckpoint(resumeFrom);
    if (ckpt.meta.configDigest !== configDigest) {
      tf.dispose([...ckpt.tensors.values()]);
      throw new UserInputError(`--resume ${options.resume}: the checkpoint was written by a different model/method config; it can only resume the same config (steps and epochs may change)`);
    }
    restoreVariables(ckpt.tensors, method.namedVariables(), resumeFrom);
    if (ckpt.meta.step > 0) materialiseOptimizerState(optimizer, method.trainableVariables());
    restoreVariables(ckpt.tensors, optimizer.namedState(), resumeFrom);
    tf.dispose([...ckpt.tensors.values()]);
    rng.setState(ckpt.meta.rng);
    batches.setState(ckpt.meta.iterator);
    startStep = ckpt.meta.step;
    runId = ckpt.meta.runId;
    resumeRunId = ckpt.meta.trackerRunId;
    runDir = path.dirname(path.dirname(resumeFrom));
  }

  const tracker = options.tracker
    ? options.tracker(runDir)
    : createTracker(config.tracking, { runDir, cwd, notice: (line) => log.write(`${line}\n`), env: options.env, quiet: options.silent });
  // The tracker's id is the run's public id (MLflow's run id with the MLflow tracker); the
  // run folder is recorded as a tag so tools can find checkpoints from the id.
  const trackedRunId = await tracker.start({
    name: config.name,
    resumeRunId,
    tags: {
      ...runContextTags(prepared.configPath ? path.dirname(prepared.configPath) : cwd, prepared.configPath ?? 'contrastive (inline config)'),
      backend: backend.chosen,
      'backend.provider': backend.provider,
      'backend.threads': String(backend.threads),
      ...(backend.tensorflowVersion ? { 'backend.tensorflow_version': backend.tensorflowVersion } : {}),
      'framework.version': frameworkVersion(),
      ...Object.fromEntries(prepared.plugins.map((p) => [`plugin.${p.name}.version`, p.version])),
      'contrastive.run_dir': runDir,
      'mlflow.note.content': configSummary(config, slots, totalSteps, backend.chosen),
    },
  });
  tracker.logParams(flattenConfig(config as unknown as Record<string, unknown>));
  tracker.logDataset?.(trainingDataset(config, dataset));
  fs.mkdirSync(runDir, { recursive: true });
  const resolvedPath = path.join(runDir, 'config.resolved.json');
  // trainingExamples: what a memory bank was sized by, so evaluation rebuilds the same model.
  fs.writeFileSync(resolvedPath, JSON.stringify({ ...config, resolvedSlots: slots, trainingExamples: dataset.count }, null, 2));
  await tracker.logArtifact(resolvedPath);
  notice(`training ${config.method.use} on ${config.data.use} (${dataset.count} ${isSequenceDataset(dataset) ? 'sequences' : 'images'} ${dataset.shape.join('x')}), ` +
    `${totalSteps} steps of ${batchSize}, backend ${backend.chosen}${startStep ? `, resuming at step ${startStep}` : ''}`);

  // The loss of every step of this invocation, for the loss plot artifact.
  const curve: CurvePoint[] = [];
  const onStep = (u: ProgressUpdate) => {
    curve.push({ step: u.step + 1, value: u.loss });
    options.onStep?.(u);
  };
  const trainer = new Trainer(
    { method, optimizer, baseLr: (optimizerSpec as unknown as OptimizerOptions).lr, schedule, batches, rng, tracker,
      progress: new ProgressReporter(log, config.train.logEvery, options.silent), onStep, monitor },
    { totalSteps, batchSize, logEvery: config.train.logEvery, checkpointEvery: config.train.checkpointEvery,
      checkpointsDir: path.join(runDir, 'checkpoints'), configDigest, runId, trackerRunId: () => tracker.runId ?? trackedRunId },
  );
  options.onTrainer?.(trainer);
  try {
    const result = await trainer.run(startStep);
    // The final (or Ctrl-C) checkpoint is what a user resumes or evaluates from.
    if (result.lastCheckpoint) await tracker.logArtifact(result.lastCheckpoint, 'checkpoints');
    await tracker.logArtifact(writePlot(runDir, curve, startStep), 'plots');
    await tracker.end(result.status);
    const { lastCheckpoint, ...rest } = result;
    return { ...rest, runId: tracker.runId ?? trackedRunId, runDir, backend: backend.chosen, checkpoint: lastCheckpoint, totalSteps };
  } catch (caught) {
    const err = explainBackendError(caught, backend.chosen);
    await tracker.end('FAILED', (err as Error).message);
    throw err;
  } finally {
    method.dispose();
    optimizer.dispose();
  }
}

/**
 * Optimizers create their state on first use. Before restoring a checkpoint, one update
 * with zero gradients and learning rate 0 creates every slot without moving a weight; the
 * restored values then overwrite it.
 */
function materialiseOptimizerState(optimizer: Optimizer, variables: tf.Variable[]): void {
  const zeros = variables.map((v) => tf.zerosLike(v));
  optimizer.apply(variables, zeros, 0);
  tf.dispose(zeros);
}

/** Writes `plots/loss-<from>-<to>.svg` (one file per invocation, so a resume adds its own). */
function writePlot(runDir: string, curve: CurvePoint[], startStep: number): string {
  const file = path.join(runDir, 'plots', `loss-steps-${startStep + 1}-${startStep + curve.length}.svg`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, curveSvg(curve, 'loss'));
  return file;
}

/** Digest of what defines the model and its training state, not of its length. */
function digestOf(p: PreparedRun): string {
  const { method, data, seed } = p.config;
  const key = JSON.stringify({ method, slots: p.slots, data: data.use, seed, optimizer: p.config.train.optimizer.use });
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

function frameworkVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}
