import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {
  ConsoleTracker, flattenConfig, FRAMEWORK_API_VERSION, inputShapeOf, isSequenceDataset, modalityOf, selectBackend, UserInputError,
  type BackendChoice, type Dataset, type PreparedRun, type Tracker,
} from '@contrastive/framework';
import { BaselineCache, baselineCacheKey, datasetFingerprint, type BaselineKeyParts } from './baseline-cache';
import { extractFeatures, pixelFeatures } from '../features/extract-features';
import { representationFunction } from '../features/representation';
import type { EvalOptions } from '../options/eval-options';
import { writeEmbeddingPlot } from '../plot/embedding-plot';
import { prepareFromResolvedConfig, rebuildDataSource, rebuildMethod } from '../runs/rebuild-model';
import type { LocatedRun } from '../runs/run-locator';
import { evalMetrics } from './eval-metrics';
import type { EvalReport } from './eval-report';
import { evaluateFeatures } from './evaluate-features';
import { resolveRunEvalOptions } from './run-eval-options';
import { describeRun, checkpointStep } from './run-info';
import type { FeatureSetName, RepresentationScores } from './representation-scores';

/** Inputs of {@link evaluateRun}. */
export interface EvaluateRunOptions {
  /** The training run (from a RunLocator). */
  run: LocatedRun;
  /** The `eval:` options (raw or resolved); default: the run config's `eval` block. */
  options?: unknown;
  /** `eval.<path>=<value>` overrides applied on top of `options`, as on the command line. */
  sets?: string[];
  /** Makes the tracker of the eval run (default: a ConsoleTracker writing into the eval folder). */
  tracker?: (evalDir: string) => Tracker;
  /**
   * Directory relative paths in the run's config (an image folder) resolve against: the
   * training config's folder, as in training (default process.cwd(); the run folder does not
   * record it).
   */
  cwd?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/**
 * Evaluates a training run's representation the way the literature does: rebuilds the
 * run's model from its config and newest checkpoint, extracts frozen features of the train
 * and test splits, and runs the linear probe, label-efficiency probes and weighted kNN on
 * them; the same code runs on the baselines (the same model untrained, with the run's seed,
 * and the raw pixels); a UMAP plot of the test features is drawn. Everything is recorded as
 * a nested run of the training run through the tracker, and saved to
 * `<runDir>/evals/<evalId>/eval.json` with the plot beside it.
 *
 * @throws UserInputError (exit code 2) for a run without checkpoint, invalid options, or a
 *   representation the model does not have
 */
export async function evaluateRun(input: EvaluateRunOptions): Promise<EvalReport> {
  const started = performance.now();
  const log = input.log ?? (() => undefined);
  const { run } = input;
  const options: EvalOptions = resolveRunEvalOptions(input.options ?? run.config.eval ?? {}, input.sets);
  if (!run.checkpoint) {
    throw new UserInputError(`run ${run.runId} has no checkpoint (nothing under ${path.join(run.runDir, 'checkpoints')}); ` +
      'only a run that saved a checkpoint can be evaluated');
  }
  const checkpoint = run.checkpoint;
  const prepared = prepareFromResolvedConfig(run.config, input.cwd ?? process.cwd());
  const backend = await selectBackend(prepared.config.backend as BackendChoice, { notice: log });
  const source = rebuildDataSource(prepared, options.data);
  const train = await source.load('train');
  const test = await source.load('test');
  const numClasses = labelledClassCount(train, test);

  // Parts sized by the training split (a memory bank) are rebuilt at the size the run had.
  const trainingExamples = typeof run.config.trainingExamples === 'number' ? run.config.trainingExamples : train.count;
  const trainedMethod = rebuildMethod(prepared, inputShapeOf(train), checkpoint, trainingExamples, modalityOf(train));
  let trainedTest: tf.Tensor2D | null = null;
  const results: Partial<Record<FeatureSetName, RepresentationScores>> = {};
  try {
    const where = 'eval.representation';
    const represent = representationFunction(options.representation, trainedMethod.encoder, trainedMethod, where);
    const evalId = `eval-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
    const evalDir = path.join(run.runDir, 'evals', evalId);
    const tracker = input.tracker ? input.tracker(evalDir) : new ConsoleTracker(evalDir, log);
    const info = describeRun(run, checkpointStep(checkpoint));
    const trackedId = await tracker.start({
      name: `${info.name}-eval`,
      parentRunId: run.runId,
      tags: { 'contrastive.eval_of': run.runId, 'contrastive.run_dir': evalDir, 'contrastive.checkpoint': checkpoint, 'contrastive.representation': options.representation },
    });
    try {
      tracker.logParams(flattenConfig({ eval: options }));
      log(`evaluating ${run.runId} (step ${info.steps}, representation ${options.representation}) on ${train.name}: ` +
        `${train.count} train / ${test.count} test ${isSequenceDataset(train) ? 'sequences' : 'images'}, ${numClasses} classes`);
      const cache = options.baselines.cache ? new BaselineCache() : null;
      const keyOf = (name: FeatureSetName): string => baselineCacheKey(baselineKeyParts(name, prepared, train, test, options, backend.chosen));
      const evaluate = (name: FeatureSetName, features: (d: Dataset) => tf.Tensor2D, keepTest: boolean) => {
        const cached = name !== 'trained' ? cache?.get(keyOf(name)) : null;
        if (cached) {
          results[name] = cached;
          log(`  ${name}: ${summarise(cached)} (cached)`);
          return;
        }
        const t0 = performance.now();
        const ftrain = features(train);
        const ftest = features(test);
        const seconds = (performance.now() - t0) / 1000;
        try {
          results[name] = evaluateFeatures({ features: ftrain, labels: train.labels }, { features: ftest, labels: test.labels }, numClasses, options, seconds);
          log(`  ${name}: ${summarise(results[name]!)}`);
          if (name !== 'trained') cache?.set(keyOf(name), results[name]!);
        } finally {
          ftrain.dispose();
          if (keepTest) trainedTest = ftest;
          else ftest.dispose();
        }
      };
      evaluate('trained', (d) => extractFeatures(d, represent, options.batchSize), !!options.plot);
      if (options.baselines.untrained) {
        // Built lazily: a cached result needs no model.
        evaluate('untrained', (d) => {
          const untrained = rebuildMethod(prepared, inputShapeOf(train), null, trainingExamples, modalityOf(train));
          try {
            return extractFeatures(d, representationFunction(options.representation, untrained.encoder, untrained, where), options.batchSize);
          } finally {
            untrained.dispose();
          }
        }, false);
      }
      if (options.baselines.rawPixels) evaluate('rawPixels', pixelFeatures, false);

      let plot: string | null = null;
      let plotSeconds = 0;
      if (options.plot && trainedTest) {
        const t0 = performance.now();
        plot = path.join(evalDir, 'artifacts', 'plots', `embedding-${options.plot.method}.png`);
        writeEmbeddingPlot(trainedTest, test, options.plot, options.seed, plot,
          `UMAP of test features: ${info.name} (${info.method}, step ${info.steps})`, `${options.representation} representation, ${test.name}`);
        plotSeconds = (performance.now() - t0) / 1000;
        await tracker.logArtifact(plot, 'plots');
      }
      const seconds = (performance.now() - started) / 1000;
      const metrics = { ...evalMetrics(results), ...(plot ? { 'time.plot_s': plotSeconds } : {}), 'time.total_s': seconds };
      tracker.logMetrics(metrics, info.steps);
      const report: EvalReport = {
        evalId: trackedId, parentRunId: run.runId, runDir: run.runDir, evalDir, checkpoint, step: info.steps,
        createdAt: new Date().toISOString(), run: info,
        data: { name: train.name, trainCount: train.count, testCount: test.count, numClasses, shape: [...train.shape] },
        options, results, metrics, plot, seconds,
      };
      fs.mkdirSync(evalDir, { recursive: true });
      fs.writeFileSync(path.join(evalDir, 'eval.json'), JSON.stringify(report, null, 2));
      await tracker.end('FINISHED');
      return report;
    } catch (err) {
      await tracker.end('FAILED', (err as Error).message);
      throw err;
    }
  } finally {
    trainedMethod.dispose();
    (trainedTest as tf.Tensor2D | null)?.dispose();
  }
}

/** What a baseline's numbers depend on (see BaselineCache). */
function baselineKeyParts(name: FeatureSetName, prepared: PreparedRun, train: Dataset, test: Dataset, options: EvalOptions, backend: string): BaselineKeyParts {
  const { representation, seed, linearProbe, knn, labelEfficiency } = options;
  const untrained = name === 'untrained';
  return {
    baseline: name,
    train: datasetFingerprint(train),
    test: datasetFingerprint(test),
    options: { representation: untrained ? representation : 'pixels', seed, linearProbe, knn, labelEfficiency },
    model: untrained
      ? {
        seed: prepared.config.seed, method: prepared.config.method, slots: prepared.slots,
        versions: { frameworkApi: FRAMEWORK_API_VERSION, ...Object.fromEntries(prepared.plugins.map((p) => [p.name, p.version])) },
      }
      : undefined,
    backend,
  };
}

/** Classes of a labelled data set; an unlabelled one cannot be evaluated by classification. */
function labelledClassCount(train: Dataset, test: Dataset): number {
  for (const d of [train, test]) {
    if (d.count === 0) throw new UserInputError(`data: the ${d.split} split of ${d.name} is empty; evaluation needs labelled train and test images`);
    if (d.labels.some((l) => l < 0)) {
      throw new UserInputError(`data: ${d.name} has unlabelled images in its ${d.split} split; the linear probe and kNN need class labels`);
    }
  }
  const maxLabel = [train.labels, test.labels].reduce((m, ls) => ls.reduce((a, l) => Math.max(a, l), m), 0);
  return Math.max(train.numClasses, maxLabel + 1);
}

function summarise(s: RepresentationScores): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  return [
    s.linear ? `linear ${pct(s.linear.top1)}` : '',
    s.knn ? `kNN ${pct(s.knn.top1)}` : '',
    ...s.labelEfficiency.map((l) => `${pct(l.fraction)} labels ${pct(l.top1)}`),
    `(features ${s.featureSeconds.toFixed(1)} s)`,
  ].filter(Boolean).join(', ');
}
