import * as tf from '@tensorflow/tfjs';
import { createBuildContext } from '../trainer/build-context';
import { prepareRun } from '../trainer/prepare-run';
import { SeededRng } from '../util/rng';
import { type BackendName, coreCount, requestedThreads } from './backend-candidates';
import { selectBackend } from './select-backend';
import { WASM_MAX_THREADS } from './wasm-node-threads';

/**
 * One training step of the baseline method with each built-in encoder, on every backend
 * installed here, against the pure-JS cpu backend as the reference: same seed, same
 * weights, same images, same augmentation draws. Tolerances (float32, different kernels
 * and summation orders; observed errors are below 1e-6 for losses and 6e-6 for gradients):
 * the loss within 1e-5 relative; each variable's gradient within 1e-4 of the reference in
 * relative L2 norm; the loss after one SGD-with-momentum update within 1e-5 relative.
 * wasm runs its threaded build here (every core, at most 8; XNNPACK splits the work across
 * worker threads), so the same tolerances also cover the threads' different work split.
 */
const ENCODERS = [
  { use: 'mlp', hidden: [32], embeddingDim: 8 },
  { use: 'convnet', channels: [8, 16], embeddingDim: 8 },
  { use: 'resnet-mini', stemWidth: 8, widths: [8, 16], blocksPerStage: 1, embeddingDim: 8 },
];
const SHAPE: [number, number, number] = [16, 16, 1];
const BATCH = 8;

interface StepResult {
  threads: number;
  loss: number;
  lossAfterUpdate: number;
  grads: Map<string, Float32Array>;
}

function images(): tf.Tensor4D {
  const rng = new SeededRng(11);
  const data = Float32Array.from({ length: BATCH * SHAPE[0] * SHAPE[1] * SHAPE[2] }, () => rng.next());
  return tf.tensor4d(data, [BATCH, ...SHAPE]);
}

async function trainingStep(backend: BackendName, encoder: Record<string, unknown>): Promise<StepResult> {
  const { threads } = await selectBackend(backend);
  const { config, registry, slots } = prepareRun({
    // An MLP head without batch norm: the head's ops run on every backend too, and every
    // gradient is well defined (batch norm right after a bias makes that bias's gradient
    // exactly zero in theory, so its relative error between backends would be noise).
    raw: {
      name: 'backends', seed: 5, data: { use: 'synthetic', batchSize: BATCH }, encoder, head: { use: 'mlp', hiddenDims: [16], outputDim: 8 },
      train: { steps: 1, optimizer: { use: 'sgd', lr: 0.05, momentum: 0.9 } },
    },
  });
  const ctx = createBuildContext(registry, { rng: new SeededRng(5), inputShape: SHAPE, baseDir: '.', slots });
  const method = ctx.build('method', config.method);
  const optimizer = ctx.build('optimizer', config.train.optimizer);
  const vars = method.trainableVariables();
  const x = images();
  const lossOf = () => method.loss(x, { step: 0, rng: new SeededRng(9) }).loss;
  const { value, grads } = tf.variableGrads(lossOf, vars);
  const result: StepResult = { threads, loss: value.dataSync()[0], lossAfterUpdate: NaN, grads: new Map() };
  const stableName = new Map([...method.namedVariables()].map(([name, v]) => [v, name]));
  for (const v of vars) result.grads.set(stableName.get(v)!, grads[v.name].dataSync() as Float32Array);
  optimizer.apply(vars, vars.map((v) => grads[v.name]), 0.05);
  const after = tf.tidy(lossOf);
  result.lossAfterUpdate = after.dataSync()[0];
  tf.dispose([value, after, x, ...Object.values(grads)]);
  method.dispose();
  optimizer.dispose();
  return result;
}

function relativeError(a: Float32Array, e: Float32Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < e.length; i++) {
    diff += (a[i] - e[i]) ** 2;
    norm += e[i] ** 2;
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
}

let installed: BackendName[] = [];
beforeAll(async () => {
  const report = await selectBackend('auto', { probeAll: true });
  installed = [...new Set(report.probes.filter((p) => p.status === 'chosen' || p.status === 'usable').map((p) => p.backend))];
});

test('wasm and cpu are always installed (dependencies of the framework)', () => {
  expect(installed).toEqual(expect.arrayContaining(['wasm', 'cpu']));
});

test('wasm trains with as many threads as CONTRASTIVE_THREADS asks (default every core, at most 8)', async () => {
  const { threads } = await trainingStep('wasm', ENCODERS[1]);
  expect(threads).toBe(Math.min(requestedThreads() ?? coreCount(), WASM_MAX_THREADS));
});

describe.each(ENCODERS)('$use encoder', (encoder) => {
  let reference: StepResult;
  beforeAll(async () => {
    reference = await trainingStep('cpu', encoder);
  });

  test('trains on every installed backend with the cpu backend\'s loss and gradients', async () => {
    expect(Number.isFinite(reference.loss)).toBe(true);
    expect(reference.lossAfterUpdate).toBeLessThan(reference.loss); // the step trains
    for (const backend of installed.filter((b) => b !== 'cpu')) {
      const got = await trainingStep(backend, encoder);
      const where = `${encoder.use} on ${backend} (${got.threads} thread${got.threads === 1 ? '' : 's'})`;
      expect(`${where}: ${Math.abs(got.loss - reference.loss) / reference.loss < 1e-5}`).toBe(`${where}: true`);
      expect([...got.grads.keys()]).toEqual([...reference.grads.keys()]);
      for (const [name, g] of reference.grads) {
        const err = relativeError(got.grads.get(name)!, g);
        expect(`${where}, d/d ${name}: ${err < 1e-4 ? 'ok' : err}`).toBe(`${where}, d/d ${name}: ok`);
      }
      expect(`${where} after update: ${Math.abs(got.lossAfterUpdate - reference.lossAfterUpdate) / reference.loss < 1e-5}`)
        .toBe(`${where} after update: true`);
    }
  });
});
