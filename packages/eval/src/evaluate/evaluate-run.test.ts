import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadCheckpoint, UserInputError, type RunStatus, type Tracker } from '@contrastive/framework';
import { PNG } from 'pngjs';
import { FileSystemRunLocator, readRunFolder } from '../runs/file-system-run-locator';
import { prepareFromResolvedConfig, rebuildMethod } from '../runs/rebuild-model';
import { FAST_EVAL, trainTinyRun } from '../test-helpers/tiny-run';
import { useTestBackend } from '../test-helpers/use-test-backend';
import { evaluateRun } from './evaluate-run';
import { formatResultsTable } from './results-table';

/** Records what the evaluation sends to its tracker. */
class RecordingTracker implements Tracker {
  started: { name: string; tags: Record<string, string>; parentRunId?: string } | null = null;
  params: Record<string, string> = {};
  metrics: { metrics: Record<string, number>; step: number }[] = [];
  artifacts: { localPath: string; artifactPath?: string }[] = [];
  ended: { status: RunStatus; error?: string } | null = null;
  async start(info: { name: string; tags: Record<string, string>; parentRunId?: string }) { this.started = info; return 'tracked-eval-1'; }
  logParams(p: Record<string, string>) { Object.assign(this.params, p); }
  logMetrics(m: Record<string, number>, step: number) { this.metrics.push({ metrics: m, step }); }
  setTags() { /* not used */ }
  async logArtifact(localPath: string, artifactPath?: string) { this.artifacts.push({ localPath, artifactPath }); }
  async end(status: RunStatus, error?: string) { this.ended = { status, error }; }
}

describe('evaluateRun', () => {
  let dir: string;
  let runDir: string;
  beforeAll(async () => {
    await useTestBackend();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-eval-'));
    runDir = (await trainTinyRun(dir, { eval: FAST_EVAL })).runDir;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('evaluates the trained representation and both baselines, recording a nested run', async () => {
    const run = await new FileSystemRunLocator(dir).locate(path.basename(runDir).slice(-6));
    const tracker = new RecordingTracker();
    const before = tf.memory().numTensors;
    const report = await evaluateRun({ run, tracker: () => tracker, cwd: dir });
    expect(tf.memory().numTensors).toBe(before);

    expect(Object.keys(report.results).sort()).toEqual(['rawPixels', 'trained', 'untrained']);
    expect(report.results.trained!.dim).toBe(16);
    expect(report.results.rawPixels!.dim).toBe(256);
    const m = report.metrics;
    for (const key of ['linear.top1', 'linear.top5', 'knn.top1', 'knn.top5', 'label_10pct.top1', 'label_100pct.top1']) {
      expect(m[key]).toBeGreaterThanOrEqual(0);
      expect(m[key]).toBeLessThanOrEqual(1);
      expect(m[`delta_untrained.${key}`]).toBeCloseTo(m[key] - m[`untrained.${key}`], 12);
      expect(m[`delta_raw_pixels.${key}`]).toBeCloseTo(m[key] - m[`raw_pixels.${key}`], 12);
    }
    expect(m['label_100pct.top1']).toBe(m['linear.top1']); // 100% of the labels is the linear probe itself
    expect(m['linear.top1']).toBeGreaterThan(0.5); // 4 classes with visible structure: far above chance
    for (const key of ['time.features_s', 'time.linear_s', 'time.knn_s', 'time.plot_s', 'time.total_s']) expect(m[key]).toBeGreaterThan(0);

    expect(tracker.started).toMatchObject({ name: 'tiny-eval', parentRunId: path.basename(runDir) });
    expect(tracker.started!.tags['contrastive.eval_of']).toBe(path.basename(runDir));
    expect(tracker.metrics).toEqual([{ metrics: m, step: 15 }]);
    expect(tracker.params['eval.knn.k']).toBe('5');
    expect(tracker.artifacts).toEqual([{ localPath: report.plot, artifactPath: 'plots' }]);
    expect(tracker.ended).toEqual({ status: 'FINISHED', error: undefined });
    expect(report.evalId).toBe('tracked-eval-1');

    const saved = JSON.parse(fs.readFileSync(path.join(report.evalDir, 'eval.json'), 'utf8'));
    expect(saved.metrics).toEqual(m);
    expect(saved.run).toMatchObject({ name: 'tiny', method: 'infonce', encoder: 'convnet', steps: 15, batchSize: 64, experiment: 'contrastive' });
    const png = PNG.sync.read(fs.readFileSync(report.plot!));
    expect([png.width, png.height]).toEqual([360, 240]);

    const table = formatResultsTable(report);
    expect(table).toMatch(/linear top-1\s+\d+\.\d\d%\s+\d+\.\d\d%\s+\d+\.\d\d%\s+[+-]\d+\.\d\d\s+[+-]\d+\.\d\d/);
    expect(table).toContain('10% labels top-1');
  });

  it('with the console tracker, writes the eval run into <runDir>/evals/<id>/ and logs the plot there', async () => {
    const report = await evaluateRun({ run: readRunFolder(runDir), options: { ...FAST_EVAL, baselines: false, labelEfficiency: false, representation: 'conv1' }, cwd: dir });
    expect(path.dirname(report.evalDir)).toBe(path.join(runDir, 'evals'));
    expect(report.evalId).toBe(path.basename(report.evalDir));
    expect(report.results.trained!.dim).toBe(16); // conv1 has 16 channels, pooled
    expect(Object.keys(report.results)).toEqual(['trained']);
    const tags = JSON.parse(fs.readFileSync(path.join(report.evalDir, 'tags.json'), 'utf8'));
    expect(tags['run.parent']).toBe(path.basename(runDir));
    const metrics = fs.readFileSync(path.join(report.evalDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics[0]['linear.top1']).toBe(report.metrics['linear.top1']);
    expect(JSON.parse(fs.readFileSync(path.join(report.evalDir, 'status.json'), 'utf8')).status).toBe('FINISHED');
    expect(fs.existsSync(report.plot!)).toBe(true);
  });

  it('rebuilds the untrained baseline exactly as the trainer initialised the model', async () => {
    // One SGD step with a learning rate of 1e-12 leaves the weights at their initial values.
    const frozen = await trainTinyRun(dir, { name: 'init', train: { steps: 1, optimizer: { use: 'sgd', lr: 1e-12, momentum: 0 }, outputDir: dir } });
    const prepared = prepareFromResolvedConfig(readRunFolder(frozen.runDir).config, dir);
    const method = rebuildMethod(prepared, [16, 16, 1], null);
    const { tensors } = loadCheckpoint(frozen.checkpoint!);
    // Batch-norm running statistics (infonce's default head has batch norm) move during any
    // training step, whatever the learning rate; every weight must still equal its initial value.
    for (const [name, v] of [...method.namedVariables()].filter(([n]) => !/\/moving(Mean|Variance)$/.test(n))) {
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(v, tensors.get(name)!))).dataSync()[0]);
      expect({ name, diff: diff < 1e-6 }).toEqual({ name, diff: true });
    }
    tf.dispose([...tensors.values()]);
    method.dispose();
  });

  it('refuses a run without checkpoint and a representation the model lacks (UserInputError)', async () => {
    const run = readRunFolder(runDir);
    await expect(evaluateRun({ run: { ...run, checkpoint: null }, cwd: dir })).rejects.toThrow(/has no checkpoint/);
    const bad = evaluateRun({ run, options: { representation: 'conv5' }, cwd: dir });
    await expect(bad).rejects.toBeInstanceOf(UserInputError);
    await expect(evaluateRun({ run, options: { representation: 'conv5' }, cwd: dir }))
      .rejects.toThrow('eval.representation: "conv5" is not a representation of the infonce method and its encoder; known representations: global, conv0, conv1');
  });
});
