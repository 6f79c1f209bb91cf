import * as tf from '@tensorflow/tfjs';
import type { Encoder, EncoderOutput, ImageDataset } from '../contracts';
import { useTestBackend } from '../test-helpers/use-test-backend';
import { balancedIndices, KnnMonitor } from './knn-monitor';

beforeAll(useTestBackend);

/** 1x1x2 "images" whose pixels are the class's corner of the plane plus a little per-example offset. */
function dataset(count: number, numClasses: number): ImageDataset {
  const images = new Float32Array(count * 2);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % numClasses;
    const angle = (2 * Math.PI * labels[i]) / Math.max(numClasses, 1);
    images[2 * i] = Math.cos(angle) + 0.01 * (i % 7);
    images[2 * i + 1] = Math.sin(angle) - 0.01 * (i % 5);
  }
  return { name: 'corners', split: 'train', shape: [1, 1, 2], count, images, labels, numClasses };
}

/** An encoder that returns its pixels (identity) or, scrambled, a constant: a good and a useless representation. */
function encoder(useful: boolean): Encoder {
  return {
    embeddingDim: 2, featureNames: [],
    encode: (x): EncoderOutput => ({
      global: tf.tidy(() => (useful ? tf.reshape(x, [x.shape[0], 2]) : tf.ones([x.shape[0], 2]))) as tf.Tensor2D,
      features: {},
    }),
    trainableVariables: () => [], namedVariables: () => new Map(), dispose: () => undefined,
  };
}

describe('balancedIndices', () => {
  it('takes classes round-robin in index order, sorted, and stops when the data runs out', () => {
    const labels = Int32Array.from([0, 0, 0, 1, 2, 2]);
    expect(balancedIndices(labels, 3, 4)).toEqual([0, 1, 3, 4]);
    expect(balancedIndices(labels, 3, 5)).toEqual([0, 1, 3, 4, 5]);
    expect(balancedIndices(labels, 3, 99)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('KnnMonitor', () => {
  const options = { every: 3, trainExamples: 40, testExamples: 20, k: 5, temperature: 0.07 };

  it('scores a representation that separates the classes at 1 and a constant one at chance', () => {
    const monitor = new KnnMonitor(options, dataset(100, 4), dataset(50, 4));
    const before = tf.memory().numTensors;
    expect(monitor.measure(encoder(true))).toBe(1);
    // Every neighbour ties; votes go to the lowest class among the first k train rows.
    expect(monitor.measure(encoder(false))).toBeCloseTo(0.25, 5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is due every N steps and after the last one', () => {
    const monitor = new KnnMonitor(options, dataset(20, 2), dataset(20, 2));
    const due = Array.from({ length: 8 }, (_, step) => monitor.due(step, 8));
    expect(due).toEqual([false, false, true, false, false, true, false, true]);
  });

  it('refuses unlabelled data, naming the option and the split', () => {
    expect(() => new KnnMonitor(options, dataset(10, 2), { ...dataset(10, 2), numClasses: 0 }))
      .toThrow('train.knnMonitor: needs labelled data, but the test split of "corners" has no class labels');
  });
});
