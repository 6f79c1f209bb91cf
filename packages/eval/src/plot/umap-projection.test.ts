import * as tf from '@tensorflow/tfjs';
import { gaussianClusters } from '../test-helpers/synthetic-features';
import { useTestBackend } from '../test-helpers/use-test-backend';
import { umapProjection } from './umap-projection';

beforeAll(useTestBackend);

describe('umapProjection', () => {
  it('keeps well-separated clusters apart in 2-D, reproducibly by seed', () => {
    const { features, labels } = gaussianClusters(150, 3, 10, 12, 4);
    const options = { neighbors: 10, minDist: 0.1, epochs: 100, seed: 7 };
    const xy = umapProjection(features, options);
    expect(xy).toHaveLength(300);
    const centre = (c: number) => {
      let x = 0; let y = 0; let n = 0;
      labels.forEach((l, i) => { if (l === c) { x += xy[2 * i]; y += xy[2 * i + 1]; n += 1; } });
      return [x / n, y / n];
    };
    const centres = [0, 1, 2].map(centre);
    const spread = Math.sqrt(labels.reduce((s, l, i) =>
      s + (xy[2 * i] - centres[l][0]) ** 2 + (xy[2 * i + 1] - centres[l][1]) ** 2, 0) / labels.length);
    for (const [a, b] of [[0, 1], [0, 2], [1, 2]]) {
      expect(Math.hypot(centres[a][0] - centres[b][0], centres[a][1] - centres[b][1])).toBeGreaterThan(3 * spread);
    }
    expect(umapProjection(features, options)).toEqual(xy);
    expect(umapProjection(features, { ...options, seed: 8 })).not.toEqual(xy);
    features.dispose();
  });

  it('leaves no tensors behind and refuses fewer than 3 points', () => {
    const { features } = gaussianClusters(20, 2, 3, 5, 1);
    const before = tf.memory().numTensors;
    umapProjection(features, { neighbors: 30, minDist: 0.1, epochs: 10, seed: 0 });
    expect(tf.memory().numTensors).toBe(before);
    const two = features.slice(0, 2);
    expect(() => umapProjection(two, { neighbors: 5, minDist: 0.1, epochs: 10, seed: 0 })).toThrow(/at least 3 points/);
    tf.dispose([features, two]);
  });
});
