import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { FileStore } from '@contrastive/mlflow-client';
import { createRegistry } from '../builtins';
import { defineComponent } from '../registry/component-definition';
import { useTestBackend } from '../test-helpers';
import { loadCheckpoint } from './checkpoint';
import { runTraining } from './run-training';
import { NonFiniteLossError } from './trainer';

/** A small, fast run on synthetic data; tests override what they need. */
function smallConfig(outputDir: string, train: Record<string, unknown> = {}) {
  return {
    name: 'unit',
    seed: 7,
    data: { use: 'synthetic', batchSize: 32, trainCount: 256, testCount: 64 },
    encoder: { use: 'convnet', channels: [8, 16], embeddingDim: 16 },
    train: { steps: 6, optimizer: { use: 'adam', lr: 0.003 }, schedule: { use: 'cosine', warmupSteps: 2 }, outputDir, logEvery: 1, ...train },
  };
}

function readCheckpoint(dir: string): Map<string, Float32Array> {
  const { tensors } = loadCheckpoint(dir);
  const out = new Map<string, Float32Array>();
  for (const [name, t] of tensors) out.set(name, t.dataSync() as Float32Array);
  tf.dispose([...tensors.values()]);
  return out;
}

describe('runTraining', () => {
  let tmp: string;
  // Hermetic: MLflow's file store in the test folder, whatever the developer's environment says.
  const train = (opts: Parameters<typeof runTraining>[0]) => runTraining({ silent: true, cwd: tmp, env: {}, ...opts });
  const mlflowRun = (runId: string) => new FileStore(path.join(tmp, 'mlruns')).getRun(runId);
  beforeAll(async () => {
    await useTestBackend();
  });
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-train-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps the tensor count flat across training steps', async () => {
    const counts: number[] = [];
    await train({ raw: smallConfig(tmp, { steps: 8 }), silent: true, onStep: () => counts.push(tf.memory().numTensors) });
    expect(counts).toHaveLength(8);
    // Optimizer state is created on the first update; from the second step on nothing grows.
    expect(new Set(counts.slice(1)).size).toBe(1);
  });

  it('logs the online kNN accuracy as an MLflow series when train.knnMonitor is set, and shows it in the progress line', async () => {
    const lines: string[] = [];
    const log = Object.assign(new (require('stream').Writable)({ write: (c: Buffer, _e: string, cb: () => void) => { lines.push(String(c)); cb(); } }), { isTTY: false });
    const summary = await runTraining({
      raw: smallConfig(tmp, { steps: 6, logEvery: 2, knnMonitor: { every: 2, trainExamples: 64, testExamples: 32 } }),
      cwd: tmp, env: {}, log,
    });
    const store = new FileStore(path.join(tmp, 'mlruns'));
    const series = await store.getMetricHistory(summary.runId, 'monitor.knn_top1');
    expect(series.map((m) => m.step)).toEqual([2, 4, 6]);
    for (const m of series) expect(m.value >= 0 && m.value <= 1).toBe(true);
    expect((await store.getMetricHistory(summary.runId, 'monitor.knn_seconds')).length).toBe(3);
    expect(lines.join('')).toMatch(/step 2\/6 epoch \d+ loss [\d.]+ knn \d+\.\d% /);
  });

  it('stops at train.maxSteps even when the epochs would run longer', async () => {
    const { steps: _steps, ...rest } = smallConfig(tmp).train as Record<string, unknown>;
    const summary = await train({ raw: { ...smallConfig(tmp), train: { ...rest, epochs: 2, maxSteps: 3 } } });
    expect([summary.steps, summary.totalSteps]).toEqual([3, 3]); // 2 epochs of 256/32 would be 16
  });

  it('leaves no tensors behind once the run is over', async () => {
    const before = tf.memory().numTensors;
    await train({ raw: smallConfig(tmp), silent: true });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes exactly: N steps, then M more from the checkpoint, equals N+M straight', async () => {
    const straight = await train({ raw: smallConfig(tmp, { steps: 6, checkpointEvery: 3 }), silent: true });
    const final = readCheckpoint(straight.checkpoint!);
    const midway = path.join(straight.runDir, 'checkpoints', 'step-00000003');
    expect(fs.existsSync(midway)).toBe(true);

    const resumed = await train({ raw: smallConfig(tmp, { steps: 6, checkpointEvery: 3 }), silent: true, resume: midway });
    expect(resumed.steps).toBe(6);
    expect(resumed.runId).toBe(straight.runId);
    const again = readCheckpoint(resumed.checkpoint!);
    expect([...again.keys()].sort()).toEqual([...final.keys()].sort());
    for (const [name, values] of final) {
      const other = again.get(name)!;
      let maxDiff = 0;
      for (let i = 0; i < values.length; i++) maxDiff = Math.max(maxDiff, Math.abs(values[i] - other[i]));
      expect({ name, maxDiff: maxDiff < 1e-5 }).toEqual({ name, maxDiff: true });
    }
    expect(resumed.finalLoss).toBeCloseTo(straight.finalLoss!, 4);
  });

  it('refuses to resume a checkpoint of a different model', async () => {
    const first = await train({ raw: smallConfig(tmp, { steps: 2 }), silent: true });
    const other = { ...smallConfig(tmp, { steps: 4 }), encoder: { use: 'mlp', hidden: [8], embeddingDim: 16 } };
    await expect(train({ raw: other, silent: true, resume: first.checkpoint! })).rejects.toThrow(/different model/);
  });

  it('stops on a NaN loss before applying it, with a checkpoint and a FAILED run', async () => {
    const registry = createRegistry();
    let calls = 0;
    registry.register(defineComponent({
      kind: 'loss', name: 'nan-at-third-step', description: 'test loss', schema: { type: 'object', properties: {} },
      create: () => ({ compute: (logits: tf.Tensor2D) => (calls++ >= 2 ? tf.mul(tf.mean(logits), NaN) : tf.mean(logits)) as tf.Scalar }),
    }), 'test');
    const config = { ...smallConfig(tmp), loss: { use: 'nan-at-third-step' }, method: { use: 'infonce', symmetric: false } };
    const err = await train({ raw: config, registry, silent: true }).catch((e) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect(err.message).toMatch(/loss is NaN at step 3/);
    expect(err.checkpoint).toMatch(/step-00000002$/);
    const state = JSON.parse(fs.readFileSync(path.join(err.checkpoint, 'state.json'), 'utf8'));
    expect(state.step).toBe(2);
    const store = new FileStore(path.join(tmp, 'mlruns'));
    const [run] = store.listRuns(store.getExperimentByName('Default')!.experiment_id);
    expect(run.info.status).toBe('FAILED');
    expect(run.data.tags.find((t) => t.key === 'contrastive.error')!.value).toMatch(/loss is NaN at step 3/);
    expect((await store.listArtifacts(run.info.run_id)).map((f) => f.path)).toContain('checkpoints/step-00000002/state.json');
    for (const values of readCheckpoint(err.checkpoint).values()) expect(values.every(Number.isFinite)).toBe(true);
  });

  it('stops when asked (Ctrl-C), saves a checkpoint and ends the run KILLED', async () => {
    let stop: (() => void) | undefined;
    const summary = await train({
      raw: smallConfig(tmp, { steps: 50 }), silent: true,
      onTrainer: (t) => (stop = () => t.requestStop()),
      onStep: (u) => (u.step === 1 ? stop?.() : undefined),
    });
    expect(summary.status).toBe('KILLED');
    expect(summary.steps).toBe(2);
    expect(summary.checkpoint).toMatch(/step-00000002$/);
    expect((await mlflowRun(summary.runId)).info.status).toBe('KILLED');
  });

  it('records the run in MLflow (./mlruns by default): params, per-step metrics, tags, dataset, config and final checkpoint', async () => {
    const summary = await train({ raw: smallConfig(tmp, { steps: 4, logEvery: 2 }) });
    expect(summary.runId).toMatch(/^[0-9a-f]{32}$/);
    const resolved = JSON.parse(fs.readFileSync(path.join(summary.runDir, 'config.resolved.json'), 'utf8'));
    expect(resolved.resolvedSlots.score).toEqual({ use: 'cosine', temperature: 0.2 } ); // infonce's default (API 1.1)
    const store = new FileStore(path.join(tmp, 'mlruns'));
    const run = await store.getRun(summary.runId);
    expect(run.info).toMatchObject({ status: 'FINISHED', run_name: 'unit' });
    const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
    expect(params).toMatchObject({ 'train.optimizer.lr': '0.003', 'data.use': 'synthetic', 'encoder.channels.1': '16', seed: '7' });
    const loss = await store.getMetricHistory(summary.runId, 'loss');
    expect(loss.map((m) => m.step)).toEqual([1, 2, 3, 4]);
    expect(loss[3].value).toBeCloseTo(summary.finalLoss!, 5);
    const lr = await store.getMetricHistory(summary.runId, 'lr');
    expect(lr[1].value).toBeCloseTo(0.003, 6); // end of the 2-step warm-up: the full lr
    expect((await store.getMetricHistory(summary.runId, 'examples_per_second')).every((m) => m.value > 0)).toBe(true);
    expect((await store.getMetricHistory(summary.runId, 'epoch')).map((m) => m.step)).toEqual([2, 4]);
    const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
    expect(tags).toMatchObject({ 'mlflow.runName': 'unit', 'contrastive.run_dir': summary.runDir, backend: summary.backend, 'mlflow.source.type': 'LOCAL' });
    expect(tags['framework.version']).toMatch(/^\d+\.\d+\.\d+/);
    expect(tags['mlflow.note.content']).toMatch(/\*\*unit\*\*: method infonce .*on synthetic .* 4 steps, seed 7/);
    expect(run.inputs!.dataset_inputs![0].dataset).toMatchObject({ name: 'synthetic-train', digest: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const files = (await store.listArtifacts(summary.runId)).map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['config.resolved.json', 'checkpoints/step-00000004/state.json', 'checkpoints/step-00000004/weights.bin', 'plots/loss-steps-1-4.svg']));
    const svg = fs.readFileSync(path.join(store.artifactRoot(summary.runId), 'plots', 'loss-steps-1-4.svg'), 'utf8');
    expect(/points="([^"]*)"/.exec(svg)![1].split(' ')).toHaveLength(4);
  });

  it('gives the same data the same dataset digest, and different data another', async () => {
    const a = await train({ raw: smallConfig(tmp, { steps: 1 }) });
    const b = await train({ raw: smallConfig(tmp, { steps: 1 }) });
    const c = await train({ raw: { ...smallConfig(tmp, { steps: 1 }), data: { use: 'synthetic', batchSize: 32, trainCount: 128, testCount: 64 } } });
    const digest = async (id: string) => (await mlflowRun(id)).inputs!.dataset_inputs![0].dataset.digest;
    expect(await digest(a.runId)).toBe(await digest(b.runId));
    expect(await digest(c.runId)).not.toBe(await digest(a.runId));
  });

  it('continues the same MLflow run on --resume, by checkpoint or by MLflow run id', async () => {
    const first = await train({ raw: smallConfig(tmp, { steps: 6, checkpointEvery: 3 }) });
    const byCheckpoint = await train({ raw: smallConfig(tmp, { steps: 8 }), resume: first.checkpoint! });
    expect(byCheckpoint.runId).toBe(first.runId);
    const byId = await train({ raw: smallConfig(tmp, { steps: 10 }), resume: first.runId });
    expect(byId.runId).toBe(first.runId);
    expect(byId.steps).toBe(10);
    const store = new FileStore(path.join(tmp, 'mlruns'));
    expect(store.listRuns(store.getExperimentByName('Default')!.experiment_id)).toHaveLength(1);
    const steps = (await store.getMetricHistory(first.runId, 'loss')).map((m) => m.step);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await store.getRun(first.runId)).info.status).toBe('FINISHED');
  });

  it('follows MLFLOW_TRACKING_URI and MLFLOW_EXPERIMENT_NAME over the config', async () => {
    const elsewhere = path.join(tmp, 'elsewhere');
    const raw = { ...smallConfig(tmp, { steps: 2 }), tracking: { uri: path.join(tmp, 'configured'), experiment: 'from-config' } };
    const summary = await train({ raw, env: { MLFLOW_TRACKING_URI: `file://${elsewhere}`, MLFLOW_EXPERIMENT_NAME: 'from-env' } });
    const store = new FileStore(elsewhere);
    expect(store.getExperimentByName('from-env')).not.toBeNull();
    expect((await store.getRun(summary.runId)).info.status).toBe('FINISHED');
    expect(fs.existsSync(path.join(tmp, 'configured'))).toBe(false);
  });

  it('keeps the console tracker with tracking.uri: none (files in the run folder, no MLflow)', async () => {
    const summary = await train({ raw: { ...smallConfig(tmp, { steps: 4 }), tracking: { uri: 'none' } } });
    const params = JSON.parse(fs.readFileSync(path.join(summary.runDir, 'params.json'), 'utf8'));
    expect(params['train.optimizer.lr']).toBe('0.003');
    const lines = fs.readFileSync(path.join(summary.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.step)).toEqual([1, 2, 3, 4]);
    expect(JSON.parse(fs.readFileSync(path.join(summary.runDir, 'status.json'), 'utf8')).status).toBe('FINISHED');
    expect(fs.existsSync(path.join(tmp, 'mlruns'))).toBe(false);
  });
});
