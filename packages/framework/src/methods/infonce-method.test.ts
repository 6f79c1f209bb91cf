import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { Encoder, ImageDataset } from '../contracts';
import { createBuildContext } from '../trainer/build-context';
import { loadCheckpoint, restoreVariables } from '../trainer/checkpoint';
import { prepareRun } from '../trainer/prepare-run';
import { runTraining } from '../trainer/run-training';
import { embed, knnAccuracy, useTestBackend } from '../test-helpers';
import { SeededRng } from '../util/rng';

/**
 * The baseline must learn: kNN accuracy of its representation on held-out synthetic data
 * beats the same encoder at its (identically seeded) initialisation.
 */
describe('infonce baseline on synthetic data', () => {
  let tmp: string;
  beforeAll(async () => {
    await useTestBackend();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-baseline-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const config = (steps: number) => ({
    name: 'baseline', seed: 3,
    data: { use: 'synthetic', batchSize: 128, trainCount: 2000, testCount: 500, noise: 0.3 },
    method: { use: 'infonce' },
    encoder: { use: 'convnet', channels: [16, 32, 64], embeddingDim: 32 },
    train: { steps, optimizer: { use: 'adam', lr: 0.003 }, outputDir: tmp },
  });

  /**
   * The run's encoder: randomly initialised with the run's seed (as the trainer does: the
   * second fork of the run RNG builds the model), then given a checkpoint's weights if any.
   */
  function encoderFrom(checkpoint: string | null): Encoder {
    const prepared = prepareRun({ raw: config(1) });
    const runRng = new SeededRng(prepared.config.seed);
    runRng.fork();
    const ctx = createBuildContext(prepared.registry, { rng: runRng.fork(), inputShape: [28, 28, 1], baseDir: tmp, slots: prepared.slots });
    const encoder = ctx.build('encoder', prepared.slots.encoder);
    if (checkpoint) {
      const { tensors } = loadCheckpoint(checkpoint);
      restoreVariables(tensors, encoder.namedVariables(), checkpoint);
      tf.dispose([...tensors.values()]);
    }
    return encoder;
  }

  async function knnOf(checkpoint: string | null): Promise<number> {
    const prepared = prepareRun({ raw: config(1) });
    const ctx = createBuildContext(prepared.registry, { rng: new SeededRng(0), inputShape: [28, 28, 1], baseDir: tmp, slots: prepared.slots });
    const source = ctx.build('data', prepared.config.data);
    const [train, test]: ImageDataset[] = [await source.load('train'), await source.load('test')];
    const encoder = encoderFrom(checkpoint);
    const ftrain = embed(encoder, train);
    const ftest = embed(encoder, test);
    const acc = knnAccuracy(ftrain, train.labels, ftest, test.labels, 10);
    tf.dispose([ftrain, ftest]);
    encoder.dispose();
    return acc;
  }

  it('trains a representation whose kNN accuracy beats the untrained encoder', async () => {
    const trained = await runTraining({ raw: config(150), silent: true, cwd: tmp, env: {} });
    expect(trained.finalLoss!).toBeLessThan(trained.firstLoss!);
    const before = await knnOf(null);
    const after = await knnOf(trained.checkpoint!);
    // eslint-disable-next-line no-console
    console.log(`kNN top-1 on synthetic: untrained ${before.toFixed(3)}, trained ${after.toFixed(3)}; loss ${trained.firstLoss!.toFixed(3)} -> ${trained.finalLoss!.toFixed(3)}`);
    expect(after).toBeGreaterThan(before + 0.05);
  });
});
