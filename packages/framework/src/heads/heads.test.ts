import * as tf from '@tensorflow/tfjs';
import { createRegistry } from '../builtins';
import { ConvNetEncoder } from '../encoders/convnet';
import { InfoNceLoss } from '../losses/infonce-loss';
import { InBatchNegatives } from '../samplers/in-batch-negatives';
import { CosineScore } from '../scores/cosine-score';
import { InfoNceMethod, PROJECTION_REPRESENTATION } from '../methods/infonce-method';
import { TwoViewsSampler } from '../samplers/two-views-sampler';
import { composeAugmentations } from '../augment/compose';
import { createBuildContext } from '../trainer/build-context';
import { prepareRun } from '../trainer/prepare-run';
import { leakedTensors, useTestBackend } from '../test-helpers/use-test-backend';
import { SeededRng } from '../util/rng';
import { HeadedEncoder } from './headed-encoder';
import { MlpHead } from './mlp-head';

beforeAll(useTestBackend);

const images = (n: number, seed = 1) => tf.randomUniform([n, 12, 12, 1], 0, 1, 'float32', seed) as tf.Tensor4D;

describe('MlpHead', () => {
  it('maps [B, inputDim] to [B, outputDim] through Dense-ReLU-Dense, named like MoCo v2\'s head', () => {
    const head = new MlpHead({ inputDim: 6, hiddenDims: [5], outputDim: 3 }, new SeededRng(1));
    expect([...head.namedVariables().keys()]).toEqual(['head/hidden/kernel', 'head/hidden/bias', 'head/out/kernel', 'head/out/bias']);
    const h = tf.randomNormal([4, 6], 0, 1, 'float32', 2) as tf.Tensor2D;
    const [w1, b1, w2, b2] = head.trainableVariables();
    b1.assign(tf.fill([5], 0.1));
    const expected = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(h, w1 as tf.Tensor2D), b1)), w2 as tf.Tensor2D), b2);
    const z = head.apply(h, { training: true });
    expect(z.shape).toEqual([4, 3]);
    expect(tf.max(tf.abs(tf.sub(z, expected))).dataSync()[0]).toBeLessThan(1e-5);
    head.dispose();
  });

  it('is linear with hiddenDims [] and refuses an input of the wrong width', () => {
    const head = new MlpHead({ inputDim: 4, hiddenDims: [], outputDim: 2 }, new SeededRng(1));
    expect([...head.namedVariables().keys()]).toEqual(['head/out/kernel', 'head/out/bias']);
    expect(() => head.apply(tf.zeros([2, 5]) as tf.Tensor2D, { training: false })).toThrow(/expects \[B, 4\], got \[2, 5\]/);
    head.dispose();
  });

  it('with batch norm: batch statistics in training (output depends on the batch), running statistics in evaluation', () => {
    const head = new MlpHead({ inputDim: 4, hiddenDims: [8], outputDim: 2, batchNorm: true }, new SeededRng(3));
    const a = tf.randomNormal([6, 4], 0, 1, 'float32', 4) as tf.Tensor2D;
    const b = tf.concat([a.slice([0, 0], [1, 4]), tf.mul(a.slice([1, 0], [5, 4]), 3)]) as tf.Tensor2D;
    const movingBefore = head.namedVariables().get('head/hidden_bn/movingMean')!.dataSync().slice();
    const trainRow0 = [head.apply(a, { training: true }), head.apply(b, { training: true })].map((z) => z.slice([0, 0], [1, 2]).dataSync());
    expect(Math.abs(trainRow0[0][0] - trainRow0[1][0]) + Math.abs(trainRow0[0][1] - trainRow0[1][1])).toBeGreaterThan(1e-3);
    const movingAfter = head.namedVariables().get('head/hidden_bn/movingMean')!.dataSync();
    expect(Array.from(movingAfter)).not.toEqual(Array.from(movingBefore));
    const evalRow0 = [head.apply(a, { training: false }), head.apply(b, { training: false })].map((z) => z.slice([0, 0], [1, 2]).dataSync());
    expect(Array.from(evalRow0[0])).toEqual(Array.from(evalRow0[1]));
    expect(Array.from(head.namedVariables().get('head/hidden_bn/movingMean')!.dataSync())).toEqual(Array.from(movingAfter));
    head.dispose();
  });
});

describe('a projection head in the infonce method', () => {
  function method() {
    const rng = new SeededRng(5);
    const encoder = new ConvNetEncoder([12, 12, 1], { channels: [4, 8], batchNorm: true, projection: false }, rng.fork());
    const head = new MlpHead({ inputDim: encoder.embeddingDim, hiddenDims: [16], outputDim: 6 }, rng.fork());
    return new InfoNceMethod(encoder, new TwoViewsSampler(composeAugmentations([])), new InBatchNegatives(), new CosineScore(0.2),
      new InfoNceLoss(), { symmetric: true, logBound: true }, head);
  }

  it('sends the gradient through the head into every backbone weight, while evaluation reads the backbone', () => {
    const m = method();
    const x = images(8);
    const { grads } = tf.variableGrads(() => m.loss(x, { step: 0, rng: new SeededRng(1) }).loss, m.trainableVariables());
    const nonZero = (v: tf.Variable) => tf.sum(tf.abs(grads[v.name])).dataSync()[0] > 0;
    const named = [...m.namedVariables()].filter(([, v]) => v.trainable);
    const headVars = named.filter(([n]) => n.startsWith('head/'));
    expect(headVars).toHaveLength(4);
    for (const [name, v] of named) expect(`${name}: ${nonZero(v)}`).toBe(`${name}: true`);
    // The evaluated representation is the backbone's [B, 8] (pooled last stage), not the head's [B, 6].
    const h = m.encoder.encode(x, { training: false }).global;
    expect(h.shape).toEqual([8, 8]);
    expect(m.representationNames).toEqual([PROJECTION_REPRESENTATION]);
    const z = m.represent(x, PROJECTION_REPRESENTATION);
    expect(z.shape).toEqual([8, 6]);
    tf.dispose([h, z, ...Object.values(grads)]);
    m.dispose();
  });

  it('logs the InfoNCE bound log(N) - loss, and leaks no tensor', () => {
    const m = method();
    const x = images(8);
    let bound = 0;
    let loss = 0;
    const leaked = leakedTensors(() => tf.tidy(() => {
      const out = m.loss(x, { step: 0, rng: new SeededRng(1) });
      loss = out.loss.dataSync()[0];
      bound = out.metrics.infoNceBound.dataSync()[0];
    }));
    expect(leaked).toBe(0);
    expect(bound).toBeCloseTo(Math.log(8) - loss, 5);
    m.dispose();
  });
});

describe('the head slot through the registry', () => {
  it('builds the config\'s head for infonce and wraps an encoder with HeadedEncoder', () => {
    const prepared = prepareRun({
      raw: {
        data: { use: 'synthetic', batchSize: 8, trainCount: 16, testCount: 8, height: 12, width: 12 },
        encoder: { use: 'convnet', channels: [4], projection: false },
        head: { use: 'mlp', hiddenDims: [6], outputDim: 5 },
      },
    });
    expect(prepared.slots.head).toEqual({ use: 'mlp', hiddenDims: [6], outputDim: 5, batchNorm: false });
    const ctx = createBuildContext(createRegistry(), { rng: new SeededRng(1), inputShape: [12, 12, 1], baseDir: '.', slots: prepared.slots });
    const m = ctx.build('method', prepared.config.method) as InfoNceMethod;
    expect([...m.namedVariables().keys()].filter((n) => n.startsWith('head/'))).toHaveLength(4);
    const headed = new HeadedEncoder(m.encoder, new MlpHead({ inputDim: 4, hiddenDims: [], outputDim: 3 }, new SeededRng(2)));
    const out = headed.encode(images(2), { training: false });
    expect(out.global.shape).toEqual([2, 3]);
    expect(() => new HeadedEncoder(m.encoder, new MlpHead({ inputDim: 7, hiddenDims: [], outputDim: 3 }, new SeededRng(2))))
      .toThrow(/expects 7 inputs, the encoder gives 4/);
    out.global.dispose();
    m.dispose();
  });
});
