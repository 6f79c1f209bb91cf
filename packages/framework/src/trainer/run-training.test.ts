import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
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
  beforeAll(async () => {
    await useTestBackend();
  });
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-train-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps the tensor count flat across training steps', async () => {
    const counts: number[] = [];
    await runTraining({ raw: smallConfig(tmp, { steps: 8 }), silent: true, onStep: () => counts.push(tf.memory().numTensors) });
    expect(counts).toHaveLength(8);
    // Optimizer state is created on the first update; from the second step on nothing grows.
    expect(new Set(counts.slice(1)).size).toBe(1);
  });

  it('leaves no tensors behind once the run is over', async () => {
    const before = tf.memory().numTensors;
    await runTraining({ raw: smallConfig(tmp), silent: true });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes exactly: N steps, then M more from the checkpoint, equals N+M straight', async () => {
    const straight = await runTraining({ raw: smallConfig(tmp, { steps: 6, checkpointEvery: 3 }), silent: true });
    const final = readCheckpoint(straight.checkpoint!);
    const midway = path.join(straight.runDir, 'checkpoints', 'step-00000003');
    expect(fs.existsSync(midway)).toBe(true);

    const resumed = await runTraining({ raw: smallConfig(tmp, { steps: 6, checkpointEvery: 3 }), silent: true, resume: midway });
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
    const first = await runTraining({ raw: smallConfig(tmp, { steps: 2 }), silent: true });
    const other = { ...smallConfig(tmp, { steps: 4 }), encoder: { use: 'mlp', hidden: [8], embeddingDim: 16 } };
    await expect(runTraining({ raw: other, silent: true, resume: first.checkpoint! })).rejects.toThrow(/different model/);
  });

  it('stops on a NaN loss before applying it, with a checkpoint and a FAILED run', async () => {
    const registry = createRegistry();
    let calls = 0;
    registry.register(defineComponent({
      kind: 'loss', name: 'nan-at-third-step', description: 'test loss', schema: { type: 'object', properties: {} },
      create: () => ({ compute: (logits: tf.Tensor2D) => (calls++ >= 2 ? tf.mul(tf.mean(logits), NaN) : tf.mean(logits)) as tf.Scalar }),
    }), 'test');
    const config = { ...smallConfig(tmp), loss: { use: 'nan-at-third-step' }, method: { use: 'infonce', symmetric: false } };
    const err = await runTraining({ raw: config, registry, silent: true }).catch((e) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect(err.message).toMatch(/loss is NaN at step 3/);
    expect(err.checkpoint).toMatch(/step-00000002$/);
    const state = JSON.parse(fs.readFileSync(path.join(err.checkpoint, 'state.json'), 'utf8'));
    expect(state.step).toBe(2);
    const runDir = path.dirname(path.dirname(err.checkpoint));
    expect(JSON.parse(fs.readFileSync(path.join(runDir, 'status.json'), 'utf8')).status).toBe('FAILED');
    for (const values of readCheckpoint(err.checkpoint).values()) expect(values.every(Number.isFinite)).toBe(true);
  });

  it('stops when asked (Ctrl-C), saves a checkpoint and ends the run KILLED', async () => {
    let stop: (() => void) | undefined;
    const summary = await runTraining({
      raw: smallConfig(tmp, { steps: 50 }), silent: true,
      onTrainer: (t) => (stop = () => t.requestStop()),
      onStep: (u) => (u.step === 1 ? stop?.() : undefined),
    });
    expect(summary.status).toBe('KILLED');
    expect(summary.steps).toBe(2);
    expect(summary.checkpoint).toMatch(/step-00000002$/);
    expect(JSON.parse(fs.readFileSync(path.join(summary.runDir, 'status.json'), 'utf8')).status).toBe('KILLED');
  });

  it('records the resolved config, params and per-step metrics in the run folder', async () => {
    const summary = await runTraining({ raw: smallConfig(tmp, { steps: 4 }), silent: true });
    const resolved = JSON.parse(fs.readFileSync(path.join(summary.runDir, 'config.resolved.json'), 'utf8'));
    expect(resolved.resolvedSlots.score).toEqual({ use: 'cosine', temperature: 0.1 });
    const params = JSON.parse(fs.readFileSync(path.join(summary.runDir, 'params.json'), 'utf8'));
    expect(params['train.optimizer.lr']).toBe('0.003');
    const lines = fs.readFileSync(path.join(summary.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.step)).toEqual([1, 2, 3, 4]);
    expect(lines.every((l) => Number.isFinite(l.loss) && l.examples_per_second > 0 && l.lr >= 0)).toBe(true);
    expect(lines[1].lr).toBeCloseTo(0.003, 6); // end of the 2-step warm-up: the full lr
  });
});
