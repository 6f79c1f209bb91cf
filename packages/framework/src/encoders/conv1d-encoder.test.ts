import * as tf from '@tensorflow/tfjs';
import { SeededRng } from '../util/rng';
import { useTestBackend } from '../test-helpers';
import { Conv1dEncoder } from './conv1d-encoder';

describe('conv1d encoder (sequences)', () => {
  beforeAll(useTestBackend);

  it('maps [B, T, D] to z [B, ceil(T / 4), 1, E] per step and their time average as global', () => {
    const enc = new Conv1dEncoder([30, 3, 1], { channels: [8, 8], kernelSizes: [4, 3], strides: [2, 2], embeddingDim: 6 }, new SeededRng(1));
    expect(enc.modality).toBe('sequence');
    expect(enc.featureNames).toEqual(['conv0', 'conv1', 'steps']);
    const x = tf.randomNormal([5, 30, 3], 0, 1, 'float32', 2) as tf.Tensor3D;
    const out = enc.encode(x, { training: true, features: ['conv0', 'steps'] });
    expect(out.features.conv0.shape).toEqual([5, 15, 1, 8]);
    expect(out.features.steps.shape).toEqual([5, 8, 1, 6]);
    expect(out.global.shape).toEqual([5, 6]);
    const mean = tf.mean(out.features.steps, [1, 2]);
    expect(Array.from(out.global.dataSync())).toEqual(Array.from(mean.dataSync()));
    tf.dispose([x, out.global, out.features.conv0, out.features.steps, mean]);
    enc.dispose();
  });

  it('refuses images and unknown feature names', () => {
    const enc = new Conv1dEncoder([16, 2, 1], {}, new SeededRng(1));
    const img = tf.zeros([1, 16, 2, 1]) as tf.Tensor4D;
    expect(() => enc.encode(img, { training: false })).toThrow(/conv1d encoder expects sequences \[B, T, 2\], got \[1, 16, 2, 1\]/);
    const seq = tf.zeros([1, 16, 2]) as tf.Tensor3D;
    expect(() => enc.encode(seq, { training: false, features: ['conv9'] })).toThrow(/no feature map "conv9"/);
    tf.dispose([img, seq]);
    enc.dispose();
  });
});
