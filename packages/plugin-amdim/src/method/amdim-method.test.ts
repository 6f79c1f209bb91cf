import * as tf from '@tensorflow/tfjs';
import { SeededRng, stableNameOf } from '@contrastive/framework';
import { buildMethod, buildOptimizer, leakedTensors, trainStep, useTestBackend } from '../test-helpers';
import type { AmdimMethod } from './amdim-method';

beforeAll(async () => {
  await useTestBackend();
});

const ctx = (step = 0) => ({ step, rng: new SeededRng(100 + step) });
const config = (method: Record<string, unknown> = {}) => ({
  method: { use: 'amdim', dim: 8, ...method },
  encoder: { use: 'convnet', channels: [8, 16, 16], embeddingDim: 12 },
});
const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;

describe('AmdimMethod', () => {
  it('embeds each compared scale, logs each comparison and the penalty', () => {
    const method = buildMethod<AmdimMethod>(config(), [28, 28, 1]);
    const names = [...method.namedVariables().keys()];
    for (const scale of ['global', 'conv1', 'conv2']) expect(names.some((n) => n.startsWith(`amdim/embed/${scale}/`))).toBe(true);
    expect(names.some((n) => n.startsWith('amdim/embed/conv0/'))).toBe(false);
    const out = method.loss(x, ctx());
    expect(Object.keys(out.metrics).sort()).toEqual(['conv2-conv2', 'global-conv1', 'global-conv2', 'scorePenalty']);
    const perComparison = ['global-conv2', 'global-conv1', 'conv2-conv2'].map((k) => out.metrics[k].dataSync()[0]);
    expect(out.loss.dataSync()[0]).toBeCloseTo(perComparison.reduce((a, b) => a + b, 0) / 3, 4);
    method.dispose();
  });

  it('gives gradients to every encoder layer feeding a compared scale and to the embeddings', () => {
    const method = buildMethod<AmdimMethod>(config(), [28, 28, 1]);
    const variables = method.trainableVariables();
    const { value, grads } = tf.variableGrads(() => method.loss(x, ctx()).loss, variables);
    for (const v of variables) {
      expect([stableNameOf(v), grads[v.name] ? tf.norm(grads[v.name]).dataSync()[0] > 0 : false]).toEqual([stableNameOf(v), true]);
    }
    tf.dispose([value, ...Object.values(grads)]);
    method.dispose();
  });

  it('offers local-grid: the compared map with the most locations (conv1, 7x7x16) pooled to 2x2', () => {
    const method = buildMethod<AmdimMethod>(config(), [28, 28, 1]);
    expect(method.options.representationScale).toBe('conv1');
    const grid = method.represent(x, 'local-grid');
    expect(grid.shape).toEqual([4, 2 * 2 * 16]);
    method.dispose();
  });

  it('keeps the tensor count flat across training steps', () => {
    const method = buildMethod<AmdimMethod>(config(), [28, 28, 1]);
    const optimizer = buildOptimizer({ use: 'adam', lr: 0.001 });
    trainStep(method, optimizer, x, ctx(0));
    const counts = [1, 2, 3].map((step) => leakedTensors(() => trainStep(method, optimizer, x, ctx(step))));
    expect(counts).toEqual([0, 0, 0]);
    optimizer.dispose();
    method.dispose();
  });
});
