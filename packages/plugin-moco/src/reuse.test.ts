import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {
  cosineScores, defineComponent, infoNceLoss, l2Normalize, loadCheckpoint, runTraining, SeededRng, UserInputError,
  type ContrastiveLoss, type Images, type Method, type PositiveSampler, type StepContext, type StepOutput,
} from '@contrastive/framework';
import { isMomentumEncoder, type MomentumEncoder } from './momentum/momentum-encoder';
import { buildMethod, buildOptimizer, expectClose, mocoTestRegistry, trainStep, useTestBackend } from './test-helpers';

/**
 * The plugin's `queue` and `momentum-encoder` used by methods that are not MoCo: the
 * framework's baseline `infonce`, and a method written here that only knows the
 * momentum-encoder interface.
 */

const shape: [number, number, number] = [12, 12, 1];
const smallConvnet = { use: 'convnet', channels: [4, 8], embeddingDim: 8 };

/** A method that is not MoCo: queries from the online encoder, keys from its momentum copy, in-batch negatives. */
class EmaInfoNce implements Method {
  readonly name = 'ema-infonce';
  constructor(readonly encoder: MomentumEncoder, private readonly positives: PositiveSampler, private readonly objective: ContrastiveLoss) {}

  loss(x: Images, ctx: StepContext): StepOutput {
    const { anchor, positive } = this.positives.sample(x, ctx.rng);
    const q = this.encoder.encode(anchor, { training: true }).global;
    const k = this.encoder.encodeKeys(positive, { training: true });
    return { loss: this.objective.compute(cosineScores(q, k, 0.2), tf.range(0, x.shape[0], 1, 'int32') as tf.Tensor1D), metrics: {} };
  }

  afterStep(ctx: StepContext): void {
    this.encoder.update(ctx.step, ctx.totalSteps);
  }

  trainableVariables = () => this.encoder.trainableVariables();
  namedVariables = () => this.encoder.namedVariables();
  dispose = () => this.encoder.dispose();
}

const emaInfoNce = defineComponent<'method', Record<string, never>>({
  kind: 'method',
  name: 'ema-infonce',
  description: 'Test: InfoNCE between an encoder and its momentum copy.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaults: { positives: { use: 'two-views' }, negatives: { use: 'in-batch' }, score: { use: 'cosine' }, loss: { use: 'infonce' }, augment: [] },
  create: (_o, ctx) => {
    const encoder = ctx.build('encoder', ctx.slots.encoder);
    if (!isMomentumEncoder(encoder)) throw new UserInputError('ema-infonce needs encoder: { use: momentum-encoder, ... }');
    return new EmaInfoNce(encoder, ctx.build('positives', ctx.slots.positives), ctx.build('loss', ctx.slots.loss));
  },
});

function registryWithEma() {
  const registry = mocoTestRegistry();
  registry.register(emaInfoNce, 'test');
  return registry;
}

describe('the queue in the framework\'s baseline method', () => {
  let tmp: string;
  beforeAll(useTestBackend);
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'moco-reuse-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('contrasts each anchor with its positive, the other keys and the queue, then enqueues the keys', () => {
    const method = buildMethod({
      method: { use: 'infonce', symmetric: false },
      encoder: smallConvnet, head: { use: 'none' }, negatives: { use: 'queue', size: 10 }, score: { use: 'cosine', temperature: 0.5 },
      positives: { use: 'fixed-flip' }, augment: [],
    }, shape);
    const x = tf.randomUniform([6, ...shape], 0, 1, 'float32', 1) as tf.Tensor4D;
    const queue = method.namedVariables().get('queue/keys')!;
    expect(queue.shape).toEqual([10, 8]); // dim from the encoder's embeddingDim
    const before = queue.arraySync() as number[][];
    const expected = tf.tidy(() => {
      const za = method.encoder.encode(x, { training: true }).global;
      const zp = method.encoder.encode(tf.reverse(x, 2) as Images, { training: true }).global;
      const logits = cosineScores(za, tf.concat([zp, queue as tf.Tensor2D], 0) as tf.Tensor2D, 0.5);
      return { loss: infoNceLoss(logits, tf.range(0, 6, 1, 'int32') as tf.Tensor1D), keys: l2Normalize(zp) } as unknown as tf.TensorContainer;
    }) as unknown as { loss: tf.Scalar; keys: tf.Tensor2D };
    const optimizer = buildOptimizer({ use: 'sgd', lr: 0.1 });
    const loss = trainStep(method, optimizer, x, { step: 0, totalSteps: 1, rng: new SeededRng(0) });
    expectClose(loss, expected.loss.dataSync()[0], 1e-5);
    expectClose(queue.arraySync(), [...before, ...expected.keys.arraySync()].slice(-10), 1e-5);
    tf.dispose([x, expected.loss, expected.keys]);
    optimizer.dispose();
    method.dispose();
  });

  it('defaults to 4096 keys of the size the loss sees: the encoder\'s embeddingDim, or the head\'s outputDim', () => {
    const plain = buildMethod({ method: { use: 'infonce' }, encoder: smallConvnet, head: { use: 'none' }, negatives: { use: 'queue' } }, shape);
    expect(plain.namedVariables().get('queue/keys')!.shape).toEqual([4096, 8]);
    plain.dispose();
    // infonce's default head (mlp, outputDim 128) since framework API 1.1.
    const headed = buildMethod({ method: { use: 'infonce' }, encoder: smallConvnet, negatives: { use: 'queue' } }, shape);
    expect(headed.namedVariables().get('queue/keys')!.shape).toEqual([4096, 128]);
    headed.dispose();
    const pooled = buildMethod({
      method: { use: 'infonce' }, encoder: { use: 'convnet', channels: [4, 6], projection: false }, head: { use: 'none' }, negatives: { use: 'queue' },
    }, shape);
    expect(pooled.namedVariables().get('queue/keys')!.shape).toEqual([4096, 6]);
    pooled.dispose();
  });

  it('trains with negatives: { use: queue } from a config, checkpointing the queue', async () => {
    const counts: number[] = [];
    const summary = await runTraining({
      raw: {
        name: 'baseline-queue', seed: 3,
        data: { use: 'synthetic', batchSize: 16, trainCount: 128, testCount: 16, height: 12, width: 12 },
        method: { use: 'infonce' }, encoder: smallConvnet, negatives: { use: 'queue', size: 50 },
        train: { steps: 5, optimizer: { use: 'adam', lr: 0.003 }, outputDir: tmp },
      },
      registry: mocoTestRegistry(), silent: true, onStep: () => counts.push(tf.memory().numTensors),
    });
    expect(summary.status).toBe('FINISHED');
    expect(new Set(counts.slice(1)).size).toBe(1);
    const { tensors } = loadCheckpoint(summary.checkpoint!);
    expect(tensors.get('queue/keys')!.shape).toEqual([50, 128]); // keys of infonce's default head (outputDim 128)
    tf.dispose([...tensors.values()]);
  });
});

describe('the momentum encoder in another method', () => {
  let tmp: string;
  beforeAll(useTestBackend);
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'moco-reuse-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const encoder = { use: 'momentum-encoder', base: smallConvnet, momentum: 0.8 };

  it('follows the momentum rule after each step of that method; only the online encoder is trainable', () => {
    const registry = registryWithEma();
    const method = buildMethod({ method: { use: 'ema-infonce' }, encoder, positives: { use: 'fixed-flip' } }, shape, 1, registry);
    const pair = method.encoder as MomentumEncoder;
    const optimizer = buildOptimizer({ use: 'sgd', lr: 0.5 });
    const x = tf.randomUniform([6, ...shape], 0, 1, 'float32', 2) as tf.Tensor4D;
    trainStep(method, optimizer, x, { step: 0, totalSteps: 2, rng: new SeededRng(0) });
    const keyBefore = new Map([...pair.key.namedVariables()].map(([n, v]) => [n, Array.from(v.dataSync())]));
    trainStep(method, optimizer, x, { step: 1, totalSteps: 2, rng: new SeededRng(1) });
    for (const [name, v] of pair.online.namedVariables()) {
      const q = Array.from(v.dataSync());
      expectClose(Array.from(pair.key.namedVariables().get(name)!.dataSync()), keyBefore.get(name)!.map((k, i) => 0.8 * k + 0.2 * q[i]), 1e-6);
    }
    expect(method.trainableVariables()).toEqual(pair.online.trainableVariables());
    tf.dispose(x);
    optimizer.dispose();
    method.dispose();
  });

  it('trains from a config and checkpoints both encoders', async () => {
    const counts: number[] = [];
    const summary = await runTraining({
      raw: {
        name: 'ema', seed: 4,
        data: { use: 'synthetic', batchSize: 16, trainCount: 128, testCount: 16, height: 12, width: 12 },
        method: { use: 'ema-infonce' }, encoder,
        train: { steps: 4, optimizer: { use: 'adam', lr: 0.003 }, outputDir: tmp },
      },
      registry: registryWithEma(), silent: true, onStep: () => counts.push(tf.memory().numTensors),
    });
    expect(summary.status).toBe('FINISHED');
    expect(new Set(counts.slice(1)).size).toBe(1);
    const { tensors } = loadCheckpoint(summary.checkpoint!);
    expect(tensors.has('encoder/conv0/kernel')).toBe(true);
    expect(tensors.has('momentum/encoder/conv0/kernel')).toBe(true);
    tf.dispose([...tensors.values()]);
  });
});
