#!/usr/bin/env node
/**
 * Representation quality against a PyTorch reference, measured in one invocation on one
 * machine: trains a recipe with the framework, then trains the same recipe in PyTorch
 * (tools/bench/torch_quality_reference.py: same encoder, head, augmentations, loss,
 * optimizer, schedule, batch and our Fashion-MNIST split) for the SAME wall-clock time our
 * run took, and probes both representations (the backbone before the head) with
 * @contrastive/eval's own linear probe and weighted kNN. Prints both accuracies side by side
 * and, last, one JSON line.
 *
 * The reference mirrors the framework's `infonce` method with a `convnet` encoder and an
 * `mlp` head; other recipes are refused with a message.
 *
 * Usage (after `npm run build`; PyTorch from a venv, see tools/bench/README.md):
 *   node tools/bench/bench-quality.js --config configs/simclr-fashion-mnist.yaml [--set train.epochs=2]...
 *        [--python ~/.cache/contrastive/torch-venv/bin/python] [--run <runDir>] [--no-torch]
 * --run: skip our training and use an existing run of the same recipe (its wall time is read
 *   from the run's summary in <runDir>/quality-summary.json, written by a previous invocation).
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const fw = require('@contrastive/framework');
const ev = require('@contrastive/eval');

function parseArgs(argv) {
  const o = { sets: [], python: process.env.CONTRASTIVE_BENCH_PYTHON || 'python3' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--config') o.config = argv[++i];
    else if (a === '--set') o.sets.push(argv[++i]);
    else if (a === '--python') o.python = argv[++i];
    else if (a === '--run') o.run = argv[++i];
    else if (a === '--no-torch') o.noTorch = true;
    else throw new Error(`unexpected argument ${a} (see the usage at the top of ${__filename})`);
  }
  if (!o.config) throw new Error('--config <recipe.yaml> is required');
  return o;
}

/** The parts of the resolved recipe the PyTorch reference mirrors; refuses what it cannot mirror. */
function referenceSettings(prepared) {
  const { config, slots } = prepared;
  const problems = [];
  if (config.method.use !== 'infonce' || config.method.symmetric === false) problems.push('method must be infonce (symmetric)');
  if (slots.encoder.use !== 'convnet' || slots.encoder.projection !== false) problems.push('encoder must be convnet with projection: false');
  if (!slots.head || slots.head.use !== 'mlp') problems.push('head must be mlp');
  if (slots.score.use !== 'cosine') problems.push('score must be cosine');
  if (slots.loss.use !== 'infonce' || slots.negatives.use !== 'in-batch') problems.push('loss infonce with in-batch negatives');
  const byName = Object.fromEntries(slots.augment.map((a) => [a.use, a]));
  const known = ['random-resized-crop', 'flip', 'color-jitter'];
  if (slots.augment.some((a) => !known.includes(a.use)) || !byName['random-resized-crop']) problems.push(`augment must be random-resized-crop (+ flip, color-jitter)`);
  const opt = config.train.optimizer;
  if (opt.use !== 'adam' || config.train.schedule.use !== 'cosine') problems.push('optimizer adam with a cosine schedule');
  if (config.data.use !== 'fashion-mnist') problems.push('data must be fashion-mnist');
  if (problems.length) throw new Error(`the PyTorch reference cannot mirror this recipe: ${problems.join('; ')}`);
  const jitter = byName['color-jitter'] ?? { brightness: 0, contrast: 0, p: 0 };
  return {
    encoder: slots.encoder, head: slots.head, temperature: slots.score.temperature,
    augment: { scale: byName['random-resized-crop'].scale, brightness: jitter.brightness, contrast: jitter.contrast, p: jitter.p },
    optimizer: { lr: opt.lr, weightDecay: opt.weightDecay ?? 0 }, warmupSteps: config.train.schedule.warmupSteps ?? 0,
    batchSize: config.data.batchSize,
  };
}

/** Writes the split as raw files the Python side reads (pixels back to uint8, exactly the packaged values). */
function writeSplit(dir, split, data) {
  const u8 = new Uint8Array(data.count * 28 * 28);
  for (let i = 0; i < u8.length; i++) u8[i] = Math.round(data.images[i] * 255);
  fs.writeFileSync(path.join(dir, `${split}-images.u8`), u8);
  fs.writeFileSync(path.join(dir, `${split}-labels.i32`), Buffer.from(data.labels.buffer, data.labels.byteOffset, data.labels.byteLength));
}

function pct(x) {
  return x == null ? '-' : `${(100 * x).toFixed(2)}%`;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const prepared = fw.prepareRun({ configPath: args.config, sets: args.sets });
  const settings = referenceSettings(prepared);
  const evalOptions = ev.resolveEvalOptions({ labelEfficiency: false, plot: false, baselines: { untrained: false, rawPixels: true } });

  // 1. Ours: the recipe as a user runs it (its own eval: block is skipped; we probe below).
  let runDir = args.run;
  let ours;
  if (!runDir) {
    const { raw } = fw.loadConfigFile(args.config);
    const t0 = Date.now();
    const summary = await fw.runTraining({ raw: { ...raw, eval: {} }, sets: args.sets, baseDir: path.dirname(path.resolve(args.config)) });
    ours = { steps: summary.steps, seconds: (Date.now() - t0) / 1000, trainSeconds: summary.steps * prepared.config.data.batchSize / summary.examplesPerSecond, examplesPerSecond: summary.examplesPerSecond, finalLoss: summary.finalLoss, backend: summary.backend };
    runDir = summary.runDir;
    fs.writeFileSync(path.join(runDir, 'quality-summary.json'), JSON.stringify(ours, null, 2));
  } else {
    ours = JSON.parse(fs.readFileSync(path.join(runDir, 'quality-summary.json'), 'utf8'));
  }
  const report = await ev.evaluateRun({ run: ev.readRunFolder(runDir), options: evalOptions, cwd: process.cwd(), log: (l) => console.error(l) });
  const rows = [{ side: 'contrastive', steps: ours.steps, seconds: ours.trainSeconds, exs: ours.examplesPerSecond, linear: report.metrics['linear.top1'], knn: report.metrics['knn.top1'] }];
  const raw = { linear: report.metrics['raw_pixels.linear.top1'], knn: report.metrics['raw_pixels.knn.top1'] };

  // 2. PyTorch, same recipe, same wall-clock budget as our training loop, same split.
  let torchRow = null;
  if (!args.noTorch) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-quality-'));
    try {
      const source = fw.createBuildContext(prepared.registry, { rng: new fw.SeededRng(0), inputShape: [0, 0, 0], baseDir: '.', slots: prepared.slots })
        .build('data', prepared.config.data);
      const train = await source.load('train');
      const test = await source.load('test');
      writeSplit(dir, 'train', train);
      writeSplit(dir, 'test', test);
      const plannedSteps = ours.steps;
      console.error(`PyTorch reference: ${Math.round(ours.trainSeconds)} s budget, schedule over ${plannedSteps} steps`);
      const child = spawnSync(args.python, [path.join(__dirname, 'torch_quality_reference.py'), '--data', dir, '--seconds', String(ours.trainSeconds),
        '--planned-steps', String(plannedSteps), '--config', JSON.stringify(settings), '--seed', String(prepared.config.seed)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
      if (child.status !== 0) throw new Error(`the PyTorch reference failed (exit ${child.status}); is torch installed for ${args.python}?`);
      const t = JSON.parse(child.stdout.trim().split('\n').pop());
      const read = (split, n) => tf.tensor2d(new Float32Array(fs.readFileSync(path.join(dir, `torch-${split}-features.f32`)).buffer.slice(0)), [n, t.dim]);
      const ftrain = read('train', train.count);
      const ftest = read('test', test.count);
      const scores = ev.evaluateFeatures({ features: ftrain, labels: train.labels }, { features: ftest, labels: test.labels }, 10, evalOptions, 0);
      tf.dispose([ftrain, ftest]);
      torchRow = { side: `PyTorch ${t.torch}`, steps: t.steps, seconds: t.seconds, exs: t.examplesPerSecond, linear: scores.linear?.top1, knn: scores.knn?.top1 };
      rows.push(torchRow);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  rows.push({ side: 'raw pixels', steps: null, seconds: null, exs: null, linear: raw.linear, knn: raw.knn });

  console.log(`recipe ${args.config}${args.sets.length ? ` (${args.sets.join(' ')})` : ''}, backend ${ours.backend}`);
  console.log('side                 steps   train s     ex/s   linear top-1   kNN top-1');
  for (const r of rows) {
    console.log(`${r.side.padEnd(18)} ${String(r.steps ?? '-').padStart(7)} ${r.seconds == null ? '        -' : r.seconds.toFixed(0).padStart(9)} ${r.exs == null ? '       -' : r.exs.toFixed(0).padStart(8)} ${pct(r.linear).padStart(14)} ${pct(r.knn).padStart(11)}`);
  }
  console.log(JSON.stringify({ config: args.config, sets: args.sets, runDir, ours: rows[0], torch: torchRow, rawPixels: raw }));
}

main().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
