import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadCheckpoint, runTraining } from '@contrastive/framework';
import { mocoTestRegistry, useTestBackend } from '../test-helpers';

/** MoCo through the framework's trainer on small synthetic data. */
function mocoConfig(outputDir: string, method: Record<string, unknown> = {}, rest: Record<string, unknown> = {}) {
  return {
    name: 'moco-unit',
    seed: 5,
    data: { use: 'synthetic', batchSize: 16, trainCount: 128, testCount: 16, height: 12, width: 12 },
    method: { use: 'moco', queueSize: 40, projectionHiddenDim: 16, projectionDim: 8, ...method },
    encoder: { use: 'convnet', channels: [4, 8], embeddingDim: 8 },
    train: { steps: 6, optimizer: { use: 'sgd', lr: 0.05, momentum: 0.9 }, outputDir, logEvery: 1 },
    ...rest,
  };
}

/** The BN path: resnet-mini with Shuffling BN in 2 groups, symmetric loss, cosine momentum. */
const withBatchNorm = {
  method: { batchNorm: 'shuffle', batchNormGroups: 2, symmetric: true, momentumSchedule: 'cosine' },
  rest: { encoder: { use: 'resnet-mini', stemWidth: 4, widths: [4, 8], embeddingDim: 8 } },
};

function readCheckpoint(dir: string): Map<string, { shape: number[]; values: Float32Array }> {
  const { tensors } = loadCheckpoint(dir);
  const out = new Map([...tensors].map(([n, t]) => [n, { shape: t.shape, values: t.dataSync() as Float32Array }]));
  tf.dispose([...tensors.values()]);
  return out;
}

describe('MoCo in the trainer', () => {
  let tmp: string;
  beforeAll(useTestBackend);
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'moco-train-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it.each([
    ['convnet, shuffle BN skipped', {}, {}],
    ['resnet-mini, shuffle BN, symmetric, cosine momentum', withBatchNorm.method, withBatchNorm.rest],
  ])('keeps the tensor count flat across steps (%s)', async (_label, method, rest) => {
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const summary = await runTraining({
      raw: mocoConfig(tmp, method, rest), registry: mocoTestRegistry(), silent: true,
      onStep: () => counts.push(tf.memory().numTensors),
    });
    expect(summary.status).toBe('FINISHED');
    expect(Number.isFinite(summary.finalLoss)).toBe(true);
    expect(counts).toHaveLength(6);
    // Optimizer state appears with the first update; from the second step on nothing grows.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('checkpoints the key encoder and the queue, and resumes exactly', async () => {
    const config = mocoConfig(tmp, withBatchNorm.method, { ...withBatchNorm.rest, train: { ...mocoConfig(tmp).train, checkpointEvery: 3 } });
    const straight = await runTraining({ raw: config, registry: mocoTestRegistry(), silent: true });
    const final = readCheckpoint(straight.checkpoint!);
    expect(final.get('queue/keys')!.shape).toEqual([40, 8]);
    const keyNames = [...final.keys()].filter((n) => n.startsWith('momentum/'));
    expect(keyNames).toContain('momentum/head/out/kernel');
    expect(keyNames.some((n) => /^momentum\/encoder\/.*movingMean$/.test(n))).toBe(true);
    for (const name of keyNames) expect(final.has(name.slice('momentum/'.length))).toBe(true);

    const midway = path.join(straight.runDir, 'checkpoints', 'step-00000003');
    const resumed = await runTraining({ raw: config, registry: mocoTestRegistry(), silent: true, resume: midway });
    const again = readCheckpoint(resumed.checkpoint!);
    expect([...again.keys()].sort()).toEqual([...final.keys()].sort());
    for (const [name, { values }] of final) {
      const other = again.get(name)!.values;
      const maxDiff = values.reduce((m, v, i) => Math.max(m, Math.abs(v - other[i])), 0);
      expect({ name, maxDiff: maxDiff < 1e-5 }).toEqual({ name, maxDiff: true });
    }
    expect(resumed.finalLoss).toBeCloseTo(straight.finalLoss!, 4);
  });
});
