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
import { MlpEncoder } from '../encoders/mlp';
import { InfoNceLoss } from '../losses/infonce-loss';
import { InBatchNegatives } from '../samplers/in-batch-negatives';
import { CosineScore } from '../scores/cosine-score';
import { expectClose } from '../test-helpers/expect-close';
import { InfoNceMethod } from './infonce-method';

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
    const [train, test] = [await source.load('train'), await source.load('test')] as ImageDataset[];
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

describe('infonce: the reverse direction of a symmetric score', () => {
  beforeAll(async () => {
    await useTestBackend();
  });

  /** Counts score calls; `transposeSwapsArguments` as given (false: must score both directions). */
  function countingCosine(transposable: boolean) {
    const inner = new CosineScore(0.2);
    const counting = {
      calls: 0,
      transposeSwapsArguments: transposable,
      score(a: tf.Tensor2D, c: tf.Tensor2D) { counting.calls++; return inner.score(a, c); },
    };
    return counting;
  }

  /** Views that differ per example: the images and their left-right mirror. */
  const mirrorViews = { sample: (x: tf.Tensor4D) => ({ anchor: x, positive: tf.reverse(x, 2) as tf.Tensor4D }) };

  test('is the transposed logits (one score call), with the same loss and gradients as scoring twice', () => {
    const x = tf.randomUniform([6, 5, 5, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
    const lossAndGrads = (transposable: boolean) => {
      const encoder = new MlpEncoder([5, 5, 1], { hidden: [7], embeddingDim: 4 }, new SeededRng(11));
      const scorer = countingCosine(transposable);
      const method = new InfoNceMethod(encoder, mirrorViews, new InBatchNegatives(), scorer, new InfoNceLoss(), { symmetric: true });
      const { value, grads } = tf.variableGrads(() => method.loss(x, { step: 0, rng: new SeededRng(1) }).loss, method.trainableVariables());
      const result = { calls: scorer.calls, loss: value.dataSync()[0], grads: Object.keys(grads).sort().map((k) => Array.from(grads[k].dataSync())) };
      method.dispose();
      return result;
    };
    const transposed = lossAndGrads(true);
    const scoredTwice = lossAndGrads(false);
    expect(transposed.calls).toBe(1);
    expect(scoredTwice.calls).toBe(2);
    expectClose(transposed.loss, scoredTwice.loss, 1e-6);
    expectClose(transposed.grads, scoredTwice.grads, 1e-5);
  });
});
