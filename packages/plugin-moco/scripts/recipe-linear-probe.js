#!/usr/bin/env node
'use strict';
/**
 * Trains a MoCo recipe and measures its encoder with a linear probe, against the same
 * encoder untrained (identically seeded) and against raw pixels.
 *
 *   npm run build
 *   node packages/plugin-moco/scripts/recipe-linear-probe.js \
 *     [--config packages/plugin-moco/configs/moco-fashion-mnist.yaml] [--set path=value]... \
 *     [--checkpoint <dir>]   # probe an existing checkpoint of the same config instead of training
 *     [--probe-epochs 30]
 *     [--trained-only]       # skip the raw-pixel and untrained probes (for tuning runs)
 *
 * The probe is the minimal logistic regression of ./logistic-probe.js, a stand-in until the
 * linear probe of @contrastive/eval is integrated. Prints a table, then one JSON line.
 */
const path = require('path');
const tf = require('@tensorflow/tfjs');
const fw = require('@contrastive/framework');
const { linearProbe, PROBE_DEFAULTS } = require('./logistic-probe');

function parseArgs(argv) {
  const args = { config: path.join(__dirname, '..', 'configs', 'moco-fashion-mnist.yaml'), sets: [], checkpoint: null, probeEpochs: PROBE_DEFAULTS.epochs, trainedOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--config') args.config = value;
    else if (argv[i] === '--set') args.sets.push(value);
    else if (argv[i] === '--checkpoint') args.checkpoint = value;
    else if (argv[i] === '--probe-epochs') args.probeEpochs = Number(value);
    else if (argv[i] === '--trained-only') { args.trainedOnly = true; continue; }
    else throw new Error(`unknown argument ${argv[i]} (see the header of ${__filename})`);
    i++;
  }
  return args;
}

/** Global representations [N, D] of a data set, evaluation mode, in batches. */
function embed(encoder, data, batchSize = 1000) {
  const [h, w, c] = data.shape;
  const per = h * w * c;
  const parts = [];
  for (let i = 0; i < data.count; i += batchSize) {
    const n = Math.min(batchSize, data.count - i);
    parts.push(tf.tidy(() => encoder.encode(tf.tensor4d(data.images.subarray(i * per, (i + n) * per), [n, h, w, c]), { training: false }).global));
  }
  const all = tf.concat(parts, 0);
  tf.dispose(parts);
  return all;
}

function probe(name, trainX, testX, train, test, epochs) {
  const started = Date.now();
  const result = linearProbe(trainX, train.labels, testX, test.labels, train.numClasses, { epochs });
  tf.dispose([trainX, testX]);
  return { name, ...result, seconds: (Date.now() - started) / 1000 };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  let summary = null;
  let checkpoint = args.checkpoint;
  if (!checkpoint) {
    summary = await fw.runTraining({ configPath: args.config, sets: args.sets });
    if (summary.status !== 'FINISHED') throw new Error(`training ended ${summary.status}`);
    checkpoint = summary.checkpoint;
  } else {
    await fw.selectBackend('auto');
  }
  const trainSeconds = (Date.now() - started) / 1000;

  // Rebuild the run's model exactly as runTraining does: the run RNG's first fork builds the
  // data source, the second the method, so the untrained encoder is the run's initialisation.
  const prepared = fw.prepareRun({ configPath: args.config, sets: args.sets });
  const runRng = new fw.SeededRng(prepared.config.seed);
  const common = { baseDir: prepared.baseDir, slots: prepared.slots };
  const source = fw.createBuildContext(prepared.registry, { rng: runRng.fork(), inputShape: [0, 0, 0], ...common }).build('data', prepared.config.data);
  const [train, test] = [await source.load('train'), await source.load('test')];
  const ctx = fw.createBuildContext(prepared.registry, { rng: runRng.fork(), inputShape: train.shape, ...common });
  const method = ctx.build('method', prepared.config.method);
  const pixels = train.shape.reduce((a, b) => a * b, 1);

  const rows = [];
  if (!args.trainedOnly) {
    rows.push(probe(`raw pixels (${pixels}-d)`, tf.tensor2d(train.images, [train.count, pixels]), tf.tensor2d(test.images, [test.count, pixels]), train, test, args.probeEpochs));
    rows.push(probe(`untrained encoder (${method.encoder.embeddingDim}-d)`, embed(method.encoder, train), embed(method.encoder, test), train, test, args.probeEpochs));
  }
  const { tensors } = fw.loadCheckpoint(checkpoint);
  fw.restoreVariables(tensors, method.namedVariables(), checkpoint);
  tf.dispose([...tensors.values()]);
  rows.push(probe(`${prepared.config.method.use} encoder (${method.encoder.embeddingDim}-d)`, embed(method.encoder, train), embed(method.encoder, test), train, test, args.probeEpochs));
  method.dispose();

  const total = (Date.now() - started) / 1000;
  console.log(`\nlinear probe (logistic regression, stand-in for @contrastive/eval), ${train.name}: ${train.count} train / ${test.count} test images`);
  for (const r of rows) console.log(`  ${r.name.padEnd(32)} test ${r.testAccuracy.toFixed(4)}  train ${r.trainAccuracy.toFixed(4)}  (${r.seconds.toFixed(0)} s)`);
  if (summary) console.log(`training: ${summary.steps} steps, ${trainSeconds.toFixed(0)} s, ${summary.examplesPerSecond.toFixed(0)} examples/s, loss ${summary.firstLoss.toFixed(3)} -> ${summary.finalLoss.toFixed(3)}, backend ${summary.backend}`);
  console.log(`total ${total.toFixed(0)} s`);
  console.log(JSON.stringify({
    config: args.config, sets: args.sets, checkpoint, trainSeconds, totalSeconds: total,
    steps: summary?.steps, examplesPerSecond: summary?.examplesPerSecond, firstLoss: summary?.firstLoss, finalLoss: summary?.finalLoss,
    probe: { ...PROBE_DEFAULTS, epochs: args.probeEpochs },
    testAccuracy: Object.fromEntries(rows.map((r) => [r.name, r.testAccuracy])),
  }));
}

main().catch((err) => {
  console.error(`error: ${err.message}`);
  process.exitCode = err instanceof fw.UserInputError ? 2 : 1;
});
