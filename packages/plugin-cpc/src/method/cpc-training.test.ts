import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { runTraining, type Tracker } from '@contrastive/framework';
import { useTestBackend } from '../test-helpers';
import { coarseGrid } from './cpc-method';

/** Keeps every logged metric, by name, in step order. */
function capturingTracker(): Tracker & { series: Map<string, number[]> } {
  const series = new Map<string, number[]>();
  return {
    series,
    start: async () => 'test-run',
    logParams: () => undefined,
    logMetrics: (metrics) => Object.entries(metrics).forEach(([k, v]) => series.set(k, [...(series.get(k) ?? []), v])),
    setTags: () => undefined,
    logArtifact: async () => undefined,
    end: async () => undefined,
  };
}

describe('CPC training', () => {
  let tmp: string;
  beforeAll(async () => {
    await useTestBackend();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cpc-train-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const sequenceConfig = (steps: number) => ({
    name: 'cpc-test', seed: 5, plugins: ['@contrastive/plugin-cpc'],
    data: { use: 'synthetic-sequence', batchSize: 32, steps: 32, dims: 4, trainCount: 512, testCount: 64, noise: 0.5 },
    method: { use: 'cpc', predictionSteps: 2, contextDim: 32 },
    encoder: { use: 'conv1d', channels: [32], kernelSizes: [4], strides: [2], embeddingDim: 32 },
    train: { steps, optimizer: { use: 'adam', lr: 0.002 }, logEvery: 10, outputDir: tmp },
    tracking: { uri: 'none' },
  });

  it('on synthetic-sequence: per-k accuracy rises far above chance, and the tensor count stays flat', async () => {
    const tracker = capturingTracker();
    const counts: number[] = [];
    const result = await runTraining({
      raw: sequenceConfig(150), silent: true, cwd: tmp, env: {}, tracker: () => tracker,
      onStep: () => counts.push(tf.memory().numTensors),
    });
    // T' = 16 encoded steps; k = 1 has 32 * 15 candidates per anchor, k = 2 has 32 * 14.
    const chance = { k1: 1 / (32 * 15), k2: 1 / (32 * 14) };
    const k1 = tracker.series.get('accuracy.k1')!;
    const k2 = tracker.series.get('accuracy.k2')!;
    // eslint-disable-next-line no-console
    console.log(`CPC per-k accuracy: k1 ${k1[0].toFixed(3)} -> ${k1[k1.length - 1].toFixed(3)}, k2 ${k2[0].toFixed(3)} -> ${k2[k2.length - 1].toFixed(3)} (chance ${chance.k1.toFixed(4)})`);
    expect(k1[k1.length - 1]).toBeGreaterThan(20 * chance.k1);
    expect(k2[k2.length - 1]).toBeGreaterThan(10 * chance.k2);
    expect(k1[k1.length - 1]).toBeGreaterThan(k1[0]);
    expect(result.finalLoss!).toBeLessThan(result.firstLoss!);
    // Flat after the first steps (the optimizer creates its state on step 1).
    expect(new Set(counts.slice(2)).size).toBe(1);
  });

  it('on image patch grids: trains with a framework convnet per patch, tensor count flat', async () => {
    const counts: number[] = [];
    const result = await runTraining({
      raw: {
        name: 'cpc-img', seed: 1, plugins: ['@contrastive/plugin-cpc'],
        data: { use: 'synthetic', batchSize: 8, trainCount: 64, testCount: 8, height: 16, width: 16 },
        method: { use: 'cpc', predictionSteps: 1, contextDim: 16, patchSize: 8, patchStride: 4 },
        encoder: { use: 'convnet', channels: [8], embeddingDim: 8 },
        train: { steps: 6, optimizer: { use: 'adam', lr: 0.001 }, outputDir: tmp },
        tracking: { uri: 'none' },
      },
      silent: true, cwd: tmp, env: {}, onStep: () => counts.push(tf.memory().numTensors),
    });
    expect(result.steps).toBe(6);
    expect(Number.isFinite(result.finalLoss!)).toBe(true);
    expect(new Set(counts.slice(2)).size).toBe(1);
  });
});

describe('coarseGrid (the context-grid representation)', () => {
  it('averages bands of rows and columns: a 6x6 grid to 3x3 cells of 2x2, a 4x1 grid to 3x1 bands', () => {
    const grid = tf.tensor4d(Array.from({ length: 36 }, (_, i) => i), [1, 6, 6, 1]);
    const pooled = coarseGrid(grid, 3).arraySync()[0];
    // cell (0, 0) holds rows 0-1, columns 0-1: 0, 1, 6, 7
    expect(pooled[0]).toBeCloseTo(3.5, 6);
    // cell (2, 1) holds rows 4-5, columns 2-3: 26, 27, 32, 33
    expect(pooled[7]).toBeCloseTo(29.5, 6);
    expect(pooled.length).toBe(9);
    const seq = tf.tensor4d([1, 2, 3, 4], [1, 4, 1, 1]);
    expect(coarseGrid(seq, 3).arraySync()[0]).toEqual([1, 2, 3.5]);
    tf.dispose([grid, seq]);
  });
});
