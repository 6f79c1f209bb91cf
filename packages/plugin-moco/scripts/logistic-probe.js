'use strict';
/**
 * A minimal linear probe for the recipe script: multinomial logistic regression on frozen
 * features. TEMPORARY: to be replaced by the linear probe of @contrastive/eval when that
 * package is integrated.
 *
 * Features are standardised with the train split's mean and standard deviation; weights
 * W [D, classes] and bias b start at zero and are fitted by Adam on the softmax
 * cross-entropy plus an L2 penalty (weight decay) on W, in shuffled mini-batches of the
 * train split; the score is top-1 accuracy on the test split.
 */
const tf = require('@tensorflow/tfjs');

/** Default settings, the same for every representation compared. */
const PROBE_DEFAULTS = { epochs: 30, batchSize: 512, lr: 0.002, weightDecay: 1e-4, seed: 0 };

/** Mulberry32: a tiny seeded generator for the mini-batch order. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * @param {tf.Tensor2D} trainX [N, D]  @param {Int32Array} trainY
 * @param {tf.Tensor2D} testX [M, D]   @param {Int32Array} testY
 * @returns {{ testAccuracy: number, trainAccuracy: number }}
 */
function linearProbe(trainX, trainY, testX, testY, numClasses, options = {}) {
  const o = { ...PROBE_DEFAULTS, ...options };
  const [n, d] = trainX.shape;
  const { mean, variance } = tf.moments(trainX, 0);
  const std = tf.tidy(() => tf.add(tf.sqrt(variance), 1e-6));
  const standardise = (x) => tf.tidy(() => tf.div(tf.sub(x, mean), std));
  const xs = standardise(trainX);
  const xt = standardise(testX);
  const ys = tf.oneHot(tf.tensor1d(trainY, 'int32'), numClasses).toFloat();
  const w = tf.variable(tf.zeros([d, numClasses]));
  const b = tf.variable(tf.zeros([numClasses]));
  const optimizer = tf.train.adam(o.lr);
  const random = seeded(o.seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let start = 0; start < n; start += o.batchSize) {
      const idx = tf.tensor1d(order.subarray(start, Math.min(n, start + o.batchSize)), 'int32');
      const cost = optimizer.minimize(() => {
        const logits = tf.add(tf.matMul(tf.gather(xs, idx), w), b);
        const ce = tf.losses.softmaxCrossEntropy(tf.gather(ys, idx), logits);
        return tf.add(ce, tf.mul(o.weightDecay / 2, tf.sum(tf.square(w))));
      }, false, [w, b]);
      idx.dispose();
      if (cost) cost.dispose();
    }
  }
  const accuracy = (x, y) => tf.tidy(() => {
    const predicted = tf.argMax(tf.add(tf.matMul(x, w), b), 1).dataSync();
    let correct = 0;
    predicted.forEach((p, i) => { if (p === y[i]) correct += 1; });
    return correct / y.length;
  });
  const result = { trainAccuracy: accuracy(xs, trainY), testAccuracy: accuracy(xt, testY) };
  tf.dispose([mean, variance, std, xs, xt, ys, w, b]);
  optimizer.dispose();
  return result;
}

module.exports = { linearProbe, PROBE_DEFAULTS };
