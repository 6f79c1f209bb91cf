#!/usr/bin/env node
/**
 * Cost of the online kNN monitor (`train.knnMonitor`): the time of one measurement (two
 * forward passes over trainExamples + testExamples Fashion-MNIST images in evaluation mode,
 * one similarity matrix, the vote) next to the time of one training step of the same recipe,
 * so the overhead per step at a given `every` can be read off.
 *
 * Usage (after `npm run build`):
 *   node tools/bench/bench-knn-monitor.js [--config configs/simclr-fashion-mnist.yaml] [--repeats 5] [--steps 20]
 * Prints the median measurement time, the median step time, and the overhead for every = 100, 234, 1000.
 */
'use strict';
const fw = require('@contrastive/framework');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const config = arg('config', 'configs/simclr-fashion-mnist.yaml');
  const repeats = Number(arg('repeats', '5'));
  const steps = Number(arg('steps', '20'));
  const prepared = fw.prepareRun({ configPath: config });
  const backend = await fw.selectBackend(prepared.config.backend);
  const rng = new fw.SeededRng(prepared.config.seed);
  const source = fw.createBuildContext(prepared.registry, { rng: rng.fork(), inputShape: [0, 0, 0], baseDir: prepared.baseDir, slots: prepared.slots })
    .build('data', prepared.config.data);
  const train = await source.load('train');
  const test = await source.load('test');
  const options = { every: 1, trainExamples: 5000, testExamples: 1000, k: 20, temperature: 0.07, ...(prepared.config.train.knnMonitor ?? {}) };
  const monitor = new fw.KnnMonitor(options, train, test);
  const method = fw.createBuildContext(prepared.registry, { rng: rng.fork(), inputShape: train.shape, baseDir: prepared.baseDir, slots: prepared.slots })
    .build('method', prepared.config.method);
  monitor.measure(method.encoder); // warm-up
  const measures = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    monitor.measure(method.encoder);
    measures.push((performance.now() - t0) / 1000);
  }
  method.dispose();

  const stepTimes = [];
  const { epochs: _epochs, knnMonitor: _monitor, maxSteps: _max, ...trainRest } = prepared.config.train;
  await fw.runTraining({
    raw: { ...fw.loadConfigFile(config).raw, eval: {}, tracking: { uri: 'none' }, train: { ...trainRest, steps, outputDir: require('os').tmpdir() } },
    baseDir: prepared.baseDir, silent: true,
    onStep: (() => { let last = performance.now(); return () => { const now = performance.now(); stepTimes.push((now - last) / 1000); last = now; }; })(),
  });
  const m = median(measures);
  const s = median(stepTimes.slice(2));
  console.log(`backend ${backend.chosen}; recipe ${config}; monitor ${options.trainExamples} train / ${options.testExamples} test images`);
  console.log(`one kNN measurement: ${m.toFixed(2)} s (median of ${repeats}); one training step: ${(1000 * s).toFixed(0)} ms (median of ${stepTimes.length - 2})`);
  for (const every of [100, 234, 1000]) console.log(`every ${every} steps: +${((100 * m) / (every * s)).toFixed(1)}% training time`);
  console.log(JSON.stringify({ backend: backend.chosen, measureSeconds: m, stepSeconds: s, options }));
}

main().catch((err) => { console.error(err.stack || String(err)); process.exit(1); });
