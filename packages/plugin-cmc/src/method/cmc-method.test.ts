import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {
  CosineScore, createBuildContext, InfoNceLoss, NceLoss, loadCheckpoint, resolveMethodSlots, runTraining, SeededRng,
  validateComponentOptions, type Method, type StepContext,
} from '@contrastive/framework';
import { cmcTestRegistry, expectClose, useTestBackend } from '../test-helpers';
import { cmcLoss } from './cmc-loss';
import type { CmcMethod } from './cmc-method';
import { viewPairs } from './view-pairs';

const registry = cmcTestRegistry();

/** Builds `method` for images of `shape` as runTraining does (slots resolved, options defaulted). */
function buildMethod(raw: Record<string, unknown>, shape: [number, number, number], trainingExamples = 32): CmcMethod {
  const config = raw as Parameters<typeof resolveMethodSlots>[0];
  const slots = resolveMethodSlots(config, registry);
  const method = validateComponentOptions(registry, 'method', config.method, 'method');
  const ctx = createBuildContext(registry, { rng: new SeededRng(1), inputShape: shape, baseDir: '.', slots, trainingExamples });
  return ctx.build('method', method) as unknown as CmcMethod;
}

/** One training step as the Trainer runs it. */
function trainStep(method: Method, x: tf.Tensor4D, ctx: StepContext, lr = 0.1): number {
  const variables = method.trainableVariables();
  const { value, grads } = tf.variableGrads(() => method.loss(x, ctx).loss, variables);
  const loss = value.dataSync()[0];
  variables.forEach((v) => v.assign(tf.tidy(() => tf.sub(v, tf.mul(grads[v.name], lr)))));
  tf.dispose([value, ...Object.values(grads)]);
  method.afterStep?.(ctx);
  return loss;
}

const threeViews = {
  method: {
    use: 'cmc', pairing: 'core', coreView: 'L',
    views: [
      { name: 'L', transform: { use: 'lab-l' } },
      { name: 'ab', transform: { use: 'lab-ab' } },
      { name: 'edges', transform: { use: 'gradient-magnitude' } },
    ],
    encoders: { ab: { use: 'mlp', hidden: [16], embeddingDim: 6 } },
  },
  encoder: { use: 'mlp', hidden: [8], embeddingDim: 6 },
  score: { use: 'cosine', temperature: 0.2 },
  augment: [],
};

describe('CmcMethod', () => {
  beforeAll(useTestBackend);

  it('contrasts each view\'s own encoder output over the chosen pairs', () => {
    const method = buildMethod(threeViews, [6, 6, 3]);
    expect(method.pairs).toEqual([['L', 'ab'], ['L', 'edges']]);
    expect(method.representationNames).toEqual(['L', 'ab', 'edges']);
    expect(method.encoder.embeddingDim).toBe(18);
    const x = tf.randomUniform([5, 6, 6, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const ctx = { step: 0, rng: new SeededRng(3) };
    const [got, expected] = tf.tidy(() => {
      const out = method.loss(x, ctx);
      // By hand: no augmentation, so each view is its transform of x, through its own encoder.
      const z = Object.fromEntries(['L', 'ab', 'edges'].map((n) => [n, method.viewEncoder(n).encode(method.views.transform(n, x), { training: true }).global]));
      const target = tf.range(0, 5, 1, 'int32') as tf.Tensor1D;
      const ref = cmcLoss(z, z, viewPairs(['L', 'ab', 'edges'], 'core', 'L'), new CosineScore(0.2), new InfoNceLoss(), target);
      return [out.loss.dataSync()[0], ref.loss.dataSync()[0]];
    });
    expectClose(got, expected, 1e-6);
    // full-graph adds the (ab, edges) pair.
    const full = buildMethod({ ...threeViews, method: { ...threeViews.method, pairing: 'full-graph' } }, [6, 6, 3]);
    expect(full.pairs).toEqual([['L', 'ab'], ['L', 'edges'], ['ab', 'edges']]);
    tf.dispose(x);
    method.dispose();
    full.dispose();
  });

  it('with a memory bank and NCE: contrasts each anchor with the other view\'s bank entries and K sampled ones', () => {
    const method = buildMethod({ ...threeViews, negatives: { use: 'memory-bank', negatives: 5 }, loss: { use: 'nce' } }, [6, 6, 3], 12);
    const x = tf.randomUniform([4, 6, 6, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const indices = [3, 0, 7, 11];
    const [got, expected] = tf.tidy(() => {
      const out = method.loss(x, { step: 0, rng: new SeededRng(3), exampleIndices: Int32Array.from(indices) });
      // By hand: no augmentation draws; each view's bank then samples K = 5 rows, in view order.
      const rng = new SeededRng(3);
      const names = ['L', 'ab', 'edges'];
      const z: Record<string, tf.Tensor2D> = {};
      const candidates: Record<string, tf.Tensor2D> = {};
      for (const n of names) {
        z[n] = method.viewEncoder(n).encode(method.views.transform(n, x), { training: true }).global;
        const bank = method.namedVariables().get(`view-${n}/memory-bank/entries`)! as tf.Tensor2D;
        const sampled = Array.from({ length: 5 }, () => rng.int(12));
        candidates[n] = tf.concat([tf.gather(bank, indices), tf.gather(bank, sampled)]) as tf.Tensor2D;
      }
      const target = tf.range(0, 4, 1, 'int32') as tf.Tensor1D;
      const ref = cmcLoss(z, candidates, viewPairs(names, 'core', 'L'), new CosineScore(0.2), new NceLoss(), target);
      return [out.loss.dataSync()[0], ref.loss.dataSync()[0]];
    });
    expectClose(got, expected, 1e-6);
    tf.dispose(x);
    method.dispose();
  });

  it('gives each view its own projection head from the head slot; the loss sees it, evaluation does not', () => {
    const method = buildMethod({ ...threeViews, head: { use: 'mlp', hiddenDims: [5], outputDim: 3 } }, [6, 6, 3]);
    for (const n of ['L', 'ab', 'edges']) expect(method.heads.get(n)!.outputDim).toBe(3);
    const names = [...method.namedVariables().keys()];
    expect(names.filter((k) => /^view-(L|ab|edges)\/head\//.test(k)).length).toBeGreaterThanOrEqual(6);
    expect(method.encoder.embeddingDim).toBe(18); // the backbones' 3 x 6, before the heads
    const x = tf.randomUniform([5, 6, 6, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const [got, expected] = tf.tidy(() => {
      const out = method.loss(x, { step: 0, rng: new SeededRng(3) });
      const z = Object.fromEntries(['L', 'ab', 'edges'].map((n) => [n, method.heads.get(n)!.apply(
        method.viewEncoder(n).encode(method.views.transform(n, x), { training: true }).global, { training: true })]));
      const ref = cmcLoss(z, z, method.pairs, new CosineScore(0.2), new InfoNceLoss(), tf.range(0, 5, 1, 'int32') as tf.Tensor1D);
      return [out.loss.dataSync()[0], ref.loss.dataSync()[0]];
    });
    expectClose(got, expected, 1e-6);
    tf.dispose(x);
    method.dispose();
  });

  it('trains every view encoder (gradients reach each one)', () => {
    const method = buildMethod(threeViews, [6, 6, 3]);
    const x = tf.randomUniform([5, 6, 6, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
    const { grads, value } = tf.variableGrads(() => method.loss(x, { step: 0, rng: new SeededRng(1) }).loss, method.trainableVariables());
    for (const view of ['L', 'ab', 'edges']) {
      const own = method.viewEncoder(view).trainableVariables();
      expect(own.length).toBeGreaterThan(0);
      expect(own.some((v) => tf.tidy(() => tf.sum(tf.abs(grads[v.name])).dataSync()[0]) > 0)).toBe(true);
    }
    tf.dispose([x, value, ...Object.values(grads)]);
    method.dispose();
  });

  it('keeps one memory bank per view and updates only the rows of the batch\'s examples', () => {
    const method = buildMethod({ ...threeViews, negatives: { use: 'memory-bank', negatives: 8, momentum: 0.5 } }, [6, 6, 3], 20);
    const banks = ['L', 'ab', 'edges'].map((n) => method.namedVariables().get(`view-${n}/memory-bank/entries`)!);
    banks.forEach((b) => expect(b.shape).toEqual([20, 6]));
    const before = banks.map((b) => b.arraySync() as number[][]);
    const x = tf.randomUniform([4, 6, 6, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    const indices = [11, 2, 19, 7];
    trainStep(method, x, { step: 0, rng: new SeededRng(4), exampleIndices: Int32Array.from(indices) });
    banks.forEach((b, v) => {
      const after = b.arraySync() as number[][];
      after.forEach((row, r) => {
        if (indices.includes(r)) expect(row).not.toEqual(before[v][r]);
        else expect(row).toEqual(before[v][r]);
      });
    });
    tf.dispose(x);
    method.dispose();
  });
});

describe('default views', () => {
  beforeAll(useTestBackend);

  it('are L and ab for colour images and image and edges for grey ones', () => {
    const colour = buildMethod({ method: { use: 'cmc' }, encoder: { use: 'mlp', hidden: [4], embeddingDim: 4 } }, [6, 6, 3]);
    const grey = buildMethod({ method: { use: 'cmc' }, encoder: { use: 'mlp', hidden: [4], embeddingDim: 4 } }, [6, 6, 1]);
    expect(colour.views.views.map((v) => [v.name, v.shape])).toEqual([['L', [6, 6, 1]], ['ab', [6, 6, 2]]]);
    expect(grey.views.views.map((v) => [v.name, v.shape])).toEqual([['image', [6, 6, 1]], ['edges', [6, 6, 1]]]);
    colour.dispose();
    grey.dispose();
  });
});

describe('cmc in a run', () => {
  let tmp: string;
  beforeAll(useTestBackend);
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cmc-run-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** The paper's colour setting (L vs ab) on the synthetic colour source, with a memory bank. */
  const config = {
    name: 'cmc-colour', seed: 3,
    data: { use: 'synthetic', channels: 3, batchSize: 16, trainCount: 64, testCount: 16, height: 12, width: 12 },
    method: { use: 'cmc' },
    encoder: { use: 'convnet', channels: [4, 8], embeddingDim: 8 },
    negatives: { use: 'memory-bank', negatives: 16 },
    train: { steps: 6, checkpointEvery: 3, optimizer: { use: 'adam', lr: 0.003 }, outputDir: '' },
  };
  const values = (dir: string) => {
    const { tensors } = loadCheckpoint(dir);
    const out = new Map([...tensors].map(([n, t]) => [n, Array.from(t.dataSync())]));
    tf.dispose([...tensors.values()]);
    return out;
  };

  it('trains L vs ab with a flat tensor count, checkpoints both encoders and banks, and resumes exactly', async () => {
    const raw = { ...config, train: { ...config.train, outputDir: tmp } };
    const counts: number[] = [];
    const straight = await runTraining({ raw, registry: cmcTestRegistry(), silent: true, cwd: tmp, env: {}, onStep: () => counts.push(tf.memory().numTensors) });
    expect(straight.status).toBe('FINISHED');
    expect(new Set(counts.slice(1)).size).toBe(1);
    const final = values(straight.checkpoint!);
    for (const name of ['view-L/encoder/conv0/kernel', 'view-ab/encoder/conv0/kernel', 'view-L/memory-bank/entries', 'view-ab/memory-bank/entries']) {
      expect(final.has(name)).toBe(true);
    }
    expect(final.get('view-L/encoder/conv0/kernel')).toHaveLength(3 * 3 * 1 * 4); // L: one channel
    expect(final.get('view-ab/encoder/conv0/kernel')).toHaveLength(3 * 3 * 2 * 4); // ab: two
    expect(final.get('view-ab/memory-bank/entries')).toHaveLength(64 * 8);
    const resumed = await runTraining({
      raw, registry: cmcTestRegistry(), silent: true, cwd: tmp, env: {}, resume: path.join(straight.runDir, 'checkpoints', 'step-00000003'),
    });
    const again = values(resumed.checkpoint!);
    for (const [name, v] of final) expectClose(again.get(name), v, 1e-5);
    expect(resumed.finalLoss).toBeCloseTo(straight.finalLoss!, 4);
  });
});
