#!/usr/bin/env node
/**
 * Sanity check of the evaluation protocol: the raw-pixel baseline on all of Fashion-MNIST
 * (the framework's split: 60,000 train / 10,000 test, class balanced; see the data docs),
 * with @contrastive/eval's default settings: standardised pixels, multinomial logistic
 * regression (Adam, L2 1e-4, early stopping with lr drops on 10% of the train labels),
 * its 1% and 10% label-efficiency variants, and weighted kNN (k 20, tau 0.07).
 * A linear classifier on Fashion-MNIST pixels is known to reach about 84% (Xiao et al.
 * 2017, arXiv:1708.07747, LogisticRegression in their benchmark).
 *
 * Needs the build (`npm run build`). Run from the repository root:
 *   node tools/bench/eval-raw-pixels-fashion-mnist.js [--no-knn] [--limit N]
 * Prints one line per measurement and a JSON summary as the last line.
 */
const tf = require('@tensorflow/tfjs');
const fw = require('@contrastive/framework');
const ev = require('@contrastive/eval');

async function main() {
  const args = process.argv.slice(2);
  const limitAt = args.indexOf('--limit');
  const limit = limitAt >= 0 ? Number(args[limitAt + 1]) : undefined;
  const backend = (await fw.selectBackend('auto')).chosen;
  const t0 = performance.now();
  const source = fw.createBuildContext(fw.createRegistry(), { rng: new fw.SeededRng(0), inputShape: [0, 0, 0], baseDir: '.', slots: {} })
    .build('data', { use: 'fashion-mnist', ...(limit ? { limit } : {}) });
  const train = await source.load('train');
  const test = await source.load('test');
  const loadSeconds = (performance.now() - t0) / 1000;
  const options = ev.resolveEvalOptions({ plot: false, baselines: false, ...(args.includes('--no-knn') ? { knn: false } : {}) });
  const t1 = performance.now();
  const ftrain = ev.pixelFeatures(train);
  const ftest = ev.pixelFeatures(test);
  const scores = ev.evaluateFeatures({ features: ftrain, labels: train.labels }, { features: ftest, labels: test.labels },
    train.numClasses, options, (performance.now() - t1) / 1000);
  tf.dispose([ftrain, ftest]);
  const pct = (x) => `${(100 * x).toFixed(2)}%`;
  console.log(`fashion-mnist raw pixels, ${train.count} train / ${test.count} test (${train.splitRule}), backend ${backend}, data loaded in ${loadSeconds.toFixed(1)} s`);
  const l = scores.linear;
  console.log(`linear probe: top-1 ${pct(l.top1)}, top-5 ${pct(l.top5)} (fit ${l.fitCount}, held out ${l.holdoutCount}, ${l.epochsRun} epochs, best ${l.bestEpoch}, ${l.seconds.toFixed(1)} s)`);
  for (const le of scores.labelEfficiency) console.log(`${pct(le.fraction)} labels (${le.labelled}): top-1 ${pct(le.top1)} (${le.seconds.toFixed(1)} s)`);
  if (scores.knn) console.log(`kNN k=${options.knn.k} tau=${options.knn.temperature}: top-1 ${pct(scores.knn.top1)}, top-5 ${pct(scores.knn.top5)} (${scores.knn.seconds.toFixed(1)} s)`);
  console.log(JSON.stringify({ backend, trainCount: train.count, testCount: test.count, metrics: ev.accuracyMetrics(scores), timing: ev.timingMetrics(scores) }));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
