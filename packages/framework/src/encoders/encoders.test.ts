import * as tf from '@tensorflow/tfjs';
import type { Encoder } from '../contracts';
import { leakedTensors, useTestBackend } from '../test-helpers';
import { SeededRng } from '../util/rng';
import type { InputShape } from './base-encoder';
import { ConvNetEncoder } from './convnet';
import { MlpEncoder } from './mlp';
import { ResNetMiniEncoder } from './resnet-mini';

beforeAll(async () => {
  await useTestBackend();
});

type Shape4 = [number, number, number, number];
interface Case {
  name: string;
  make(shape: InputShape, seed: number): Encoder;
  /** Expected feature-map shapes for batch B and the given input. */
  features(b: number, shape: InputShape): Record<string, Shape4>;
  hasBatchNorm: boolean;
}

const half = (n: number) => Math.ceil(n / 2);
const cases: Case[] = [
  {
    name: 'mlp',
    make: (shape, seed) => new MlpEncoder(shape, { hidden: [64, 32], embeddingDim: 16 }, new SeededRng(seed)),
    features: (b) => ({ hidden0: [b, 1, 1, 64], hidden1: [b, 1, 1, 32] }),
    hasBatchNorm: false,
  },
  {
    name: 'convnet',
    make: (shape, seed) => new ConvNetEncoder(shape, { channels: [8, 16, 32], embeddingDim: 16 }, new SeededRng(seed)),
    features: (b, [h, w]) => ({
      conv0: [b, half(h), half(w), 8],
      conv1: [b, half(half(h)), half(half(w)), 16],
      conv2: [b, half(half(half(h))), half(half(half(w))), 32],
    }),
    hasBatchNorm: false,
  },
  {
    name: 'resnet-mini',
    make: (shape, seed) =>
      new ResNetMiniEncoder(
        shape,
        { stemWidth: 8, widths: [8, 16, 32], blocksPerStage: 2, embeddingDim: 16 },
        new SeededRng(seed),
      ),
    features: (b, [h, w]) => ({
      stem: [b, h, w, 8],
      stage0: [b, h, w, 8],
      stage1: [b, half(h), half(w), 16],
      stage2: [b, half(half(h)), half(half(w)), 32],
    }),
    hasBatchNorm: true,
  },
];

const SHAPES: InputShape[] = [[28, 28, 1], [32, 32, 3]];
const images = (b: number, [h, w, c]: InputShape, seed = 1) =>
  tf.randomUniform([b, h, w, c], 0, 1, 'float32', seed) as tf.Tensor4D;
const snapshot = (vars: Iterable<tf.Variable>) => [...vars].map((v) => Array.from(v.dataSync()));
const nonTrainable = (e: Encoder) => [...e.namedVariables().values()].filter((v) => !v.trainable);

describe.each(cases)('$name encoder', (c) => {
  test.each(SHAPES)('shapes for %p x %p x %p input, every feature map asked for', (...shape) => {
    const enc = c.make(shape, 1);
    const expected = c.features(3, shape);
    expect(enc.featureNames).toEqual(Object.keys(expected));
    const x = images(3, shape);
    const out = enc.encode(x, { training: true, features: enc.featureNames });
    expect(out.global.shape).toEqual([3, 16]);
    expect(enc.embeddingDim).toBe(16);
    expect(Object.fromEntries(Object.entries(out.features).map(([k, t]) => [k, t.shape]))).toEqual(expected);
    const none = enc.encode(x, { training: false });
    expect(Object.keys(none.features)).toEqual([]);
    const one = enc.encode(x, { training: false, features: [enc.featureNames[1]] });
    expect(Object.keys(one.features)).toEqual([enc.featureNames[1]]);
    tf.dispose([x, out, none, one] as unknown as tf.TensorContainer);
    enc.dispose();
  });

  test('unknown feature name or wrong input: clear errors', () => {
    const enc = c.make([28, 28, 1], 1);
    const x = images(2, [28, 28, 1]);
    expect(() => enc.encode(x, { training: false, features: ['nope'] })).toThrow(
      new RegExp(`no feature map "nope"; known feature maps: ${enc.featureNames.join(', ')}`),
    );
    const rgb = images(2, [28, 28, 3]);
    expect(() => enc.encode(rgb, { training: false })).toThrow(/expects images \[B, H, W, 1\].*got \[2, 28, 28, 3\]/);
    tf.dispose([x, rgb]);
    enc.dispose();
  });

  test('variables: encoder/ names, seeded initialisation', () => {
    const a = c.make([28, 28, 1], 5);
    const b = c.make([28, 28, 1], 5);
    const d = c.make([28, 28, 1], 6);
    const names = [...a.namedVariables().keys()];
    expect(names.every((n) => n.startsWith('encoder/'))).toBe(true);
    expect([...b.namedVariables().keys()]).toEqual(names);
    const named = a.namedVariables();
    expect(a.trainableVariables().every((v) => [...named.values()].includes(v) && v.trainable)).toBe(true);
    expect(nonTrainable(a).length > 0).toBe(c.hasBatchNorm);
    expect(snapshot(b.namedVariables().values())).toEqual(snapshot(named.values()));
    const kernels = (e: Encoder) => [...e.namedVariables()].filter(([n]) => n.endsWith('/kernel')).map(([, v]) => v);
    const da = snapshot(kernels(a));
    snapshot(kernels(d)).forEach((k, i) => expect(k).not.toEqual(da[i]));
    [a, b, d].forEach((e) => e.dispose());
  });

  test('gradients reach every trainable variable and never the moving statistics', () => {
    const enc = c.make([28, 28, 1], 2);
    const x = images(8, [28, 28, 1]);
    const w = tf.randomNormal([8, 16], 0, 1, 'float32', 3);
    const moving = nonTrainable(enc);
    moving.forEach((v) => (v.trainable = true)); // so that a gradient reaching them would show
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(enc.encode(x, { training: true }).global, w)) as tf.Scalar,
      [...enc.namedVariables().values()],
    );
    moving.forEach((v) => (v.trainable = false));
    expect(Object.keys(grads).sort()).toEqual(enc.trainableVariables().map((v) => v.name).sort());
    for (const v of enc.trainableVariables()) {
      expect(`${v.name}: ${tf.tidy(() => tf.max(tf.abs(grads[v.name])).dataSync()[0]) > 0}`).toBe(`${v.name}: true`);
    }
    tf.dispose([x, w, value, ...Object.values(grads)]);
    enc.dispose();
  });

  test('moving statistics change in training mode only; eval mode is deterministic and per-example', () => {
    const enc = c.make([32, 32, 3], 3);
    const x = images(4, [32, 32, 3]);
    const before = snapshot(nonTrainable(enc));
    tf.tidy(() => { enc.encode(x, { training: false }); });
    expect(snapshot(nonTrainable(enc))).toEqual(before);
    tf.tidy(() => { enc.encode(x, { training: true }); });
    const after = snapshot(nonTrainable(enc));
    after.forEach((v, i) => expect(v).not.toEqual(before[i]));
    tf.tidy(() => {
      const a = enc.encode(x, { training: false }).global;
      const b = enc.encode(x, { training: false }).global;
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      const first = enc.encode(tf.slice(x, [0, 0, 0, 0], [1, 32, 32, 3]), { training: false }).global;
      const row0 = Array.from(tf.slice(a, [0, 0], [1, 16]).dataSync());
      Array.from(first.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(row0[i], 4));
    });
    x.dispose();
    enc.dispose();
  });

  test('no tensor leaks: encode in tf.tidy, and a full gradient step', () => {
    const enc = c.make([28, 28, 1], 4);
    const x = images(4, [28, 28, 1]);
    for (const training of [true, false]) {
      expect(leakedTensors(() => tf.tidy(() => { enc.encode(x, { training, features: enc.featureNames }); }))).toBe(0);
    }
    const step = () => {
      const { value, grads } = tf.variableGrads(() => {
        const out = enc.encode(x, { training: true, features: enc.featureNames });
        return tf.add(tf.mean(tf.square(out.global)), tf.mean(out.features[enc.featureNames[0]])) as tf.Scalar;
      }, enc.trainableVariables());
      tf.tidy(() => enc.trainableVariables().forEach((v) => v.assign(tf.sub(v, tf.mul(grads[v.name], 0.01)))));
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    expect(leakedTensors(step)).toBe(0);
    const out = enc.encode(x, { training: false, features: enc.featureNames });
    expect(tf.memory().numTensors).toBeGreaterThan(0);
    const n = tf.memory().numTensors;
    tf.dispose([out.global, ...Object.values(out.features)]);
    expect(n - tf.memory().numTensors).toBe(1 + enc.featureNames.length); // only the outputs were kept
    x.dispose();
    enc.dispose();
  });
});

describe('convnet options: batch norm, stride-1 convolutions, no projection', () => {
  beforeAll(useTestBackend);

  it('names its layers and returns the pooled last stage when projection is false', () => {
    const enc = new ConvNetEncoder([12, 12, 1], { channels: [4, 8], batchNorm: true, stride1Convs: 1, projection: false }, new SeededRng(1));
    expect(enc.embeddingDim).toBe(8);
    expect([...enc.namedVariables().keys()].filter((n) => n.endsWith('kernel'))).toEqual([
      'encoder/conv0_0/kernel', 'encoder/conv0/kernel', 'encoder/conv1_0/kernel', 'encoder/conv1/kernel',
    ]);
    // Batch norm replaces the convolutions' biases.
    expect([...enc.namedVariables().keys()].some((n) => n.endsWith('/bias'))).toBe(false);
    const x = tf.randomUniform([3, 12, 12, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const out = enc.encode(x, { training: false, features: ['conv0', 'conv1'] });
    expect(out.global.shape).toEqual([3, 8]);
    expect(out.features.conv0.shape).toEqual([3, 6, 6, 4]);
    expect(out.features.conv1.shape).toEqual([3, 3, 3, 8]);
    tf.dispose([x, out.global, out.features.conv0, out.features.conv1]);
    enc.dispose();
  });

  it('uses batch statistics in training (an example\'s output depends on the rest of the batch) and running statistics in evaluation', () => {
    const enc = new ConvNetEncoder([12, 12, 1], { channels: [4, 8], batchNorm: true }, new SeededRng(3));
    const a = tf.randomUniform([4, 12, 12, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const b = tf.concat([a.slice([0, 0, 0, 0], [1, 12, 12, 1]), tf.zeros([3, 12, 12, 1])]) as tf.Tensor4D;
    const moving = () => Array.from(enc.namedVariables().get('encoder/conv0_bn/movingMean')!.dataSync());
    const before = moving();
    const row0 = (x: tf.Tensor4D, training: boolean) => Array.from(enc.encode(x, { training }).global.slice([0, 0], [1, 128]).dataSync());
    const trainA = row0(a, true);
    const trainB = row0(b, true);
    expect(trainA).not.toEqual(trainB);
    const after = moving();
    expect(after).not.toEqual(before);
    expect(row0(a, false)).toEqual(row0(b, false));
    expect(moving()).toEqual(after); // evaluation updates nothing
    enc.dispose();
  });
});
