import * as tf from '@tensorflow/tfjs';
import { createBuildContext, createRegistry, SeededRng } from '@contrastive/framework';
import { pixelFeatures } from '../features/extract-features';
import { resolveEvalOptions } from '../options/resolve-eval-options';
import { useTestBackend } from '../test-helpers/use-test-backend';
import { evaluateFeatures } from './evaluate-features';

/**
 * The protocol on real data: the raw-pixel linear baseline on a class-balanced 5,000-image
 * subset of each Fashion-MNIST split. On the full split it reaches about 86%
 * (tools/bench/eval-raw-pixels-fashion-mnist.js); with a twelfth of the labels a little less.
 */
describe('raw-pixel baseline on a Fashion-MNIST subset', () => {
  beforeAll(useTestBackend);

  it('lands in the range known for linear classifiers on Fashion-MNIST', async () => {
    const source = createBuildContext(createRegistry(), { rng: new SeededRng(0), inputShape: [0, 0, 0], baseDir: '.', slots: {} as never })
      .build('data', { use: 'fashion-mnist', limit: 5000 });
    const train = await source.load('train');
    const test = await source.load('test');
    const [ftrain, ftest] = [pixelFeatures(train), pixelFeatures(test)];
    const scores = evaluateFeatures({ features: ftrain, labels: train.labels }, { features: ftest, labels: test.labels }, 10,
      resolveEvalOptions({ knn: false, plot: false, labelEfficiency: { fractions: [0.1] } }), 0);
    tf.dispose([ftrain, ftest]);
    expect(scores.linear!.top1).toBeGreaterThan(0.78);
    expect(scores.linear!.top1).toBeLessThan(0.9);
    expect(scores.labelEfficiency[0].top1).toBeGreaterThan(0.6); // 500 labels
    expect(scores.labelEfficiency[0].top1).toBeLessThan(scores.linear!.top1);
  });
});
