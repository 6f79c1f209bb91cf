#!/usr/bin/env node
/**
 * Training-step throughput of the baseline method (two augmented views, encoder, cosine
 * scores, symmetric InfoNCE, Adam) at batch 256 on 28x28x1 images, for each encoder and each
 * usable backend, next to the same model and step in PyTorch (tools/bench/torch_reference.py)
 * when `torch` is importable, so the ratio comes from one run on one machine.
 *
 * Each (backend, encoder) runs in its own process through the framework's own trainer
 * (`runTraining` on synthetic data), so the numbers include what a user's run pays: batch
 * assembly, augmentation, forward, backward, the optimizer, the per-step loss read-back.
 * Reported: examples/s = batch / median step time over the measured steps (the median
 * shrugs off steps slowed by other processes on a shared machine). With --rounds N (default
 * 3) the PyTorch reference and every backend run N times, alternating, and a row shows the
 * median over rounds; `vs PyTorch` is the median of the per-round ratios, each taken
 * between runs seconds apart, so a machine whose speed drifts over minutes (a shared VM)
 * moves both sides of a ratio together.
 *
 * `--methods baseline,cmc,cpc,dim` (default) adds, per encoder, a row for CMC (@contrastive/plugin-cmc:
 * two views, the image and its gradient magnitude, each with its own crop and flip and its own
 * encoder, symmetric in-batch InfoNCE); it has no PyTorch reference, so its `vs PyTorch` is `-`.
 *
 * `dim` (in the default list) adds a row for @contrastive/plugin-dim's DIM(L) with its defaults
 * (InfoNCE of the global vector against every location of the deepest feature map of at least
 * 4x4, one view per image); `amdim` (opt in: `--methods baseline,cmc,cpc,dim,amdim`) one for
 * @contrastive/plugin-amdim with its defaults (two views; global-to-4x4, global-to-7x7 and
 * 4x4-to-4x4 comparisons, whose [B·16, B·16] scores make it slow at batch 256).
 *
 * Usage (after `npm run build`):
 *   node tools/bench/bench-train-step.js [--encoders convnet,resnet-mini] [--methods baseline,cmc,cpc,dim] [--backends tensorflow,wasm]
 *        [--batch 256] [--steps 10] [--warmup 2] [--rounds 3] [--python python3] [--onednn-off] [--json]
 * --backends: default every usable backend but cpu (the pure-JS backend takes minutes per
 *   step at batch 256); add `cpu` explicitly to include it.
 * --python: interpreter for the PyTorch reference (default $CONTRASTIVE_BENCH_PYTHON or python3).
 * --onednn-off: also run the tensorflow backend with TF_ENABLE_ONEDNN_OPTS=0.
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const args = parseArgs(process.argv.slice(2));

function parseArgs(argv) {
  const o = { encoders: 'convnet,resnet-mini', methods: 'baseline,cmc,cpc,dim', method: 'baseline', backends: '', batch: '256', steps: '10', warmup: '2', rounds: '3', python: process.env.CONTRASTIVE_BENCH_PYTHON || 'python3' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2).replace(/-(\w)/g, (_, c) => c.toUpperCase());
    if (['json', 'onednnOff', 'child'].includes(key)) o[key] = true;
    else o[key] = argv[++i];
  }
  for (const k of ['batch', 'steps', 'warmup', 'rounds']) {
    if (!(Number.isInteger(Number(o[k])) && Number(o[k]) >= (k === 'warmup' ? 1 : 1))) throw new Error(`--${k} must be a positive integer`);
    o[k] = Number(o[k]);
  }
  return o;
}

/**
 * The `cpc` row (@contrastive/plugin-cpc) runs on sequences, so it has one row, `cpc/conv1d`,
 * whatever --encoders says: configs/cpc-synthetic-sequence.yaml's data, method and encoder
 * (sequences [64, 8], conv1d g_enc 64 -> 16 codes, GRU g_ar 64, K = 4, negatives from every
 * position of the batch) at the benchmark's batch size.
 */
const CPC_BENCH = (batch) => ({
  plugins: ['@contrastive/plugin-cpc'],
  data: { use: 'synthetic-sequence', batchSize: batch, steps: 64, dims: 8, trainCount: batch * 4, testCount: 16 },
  method: { use: 'cpc', predictionSteps: 4, negatives: 'all', contextDim: 64 },
  encoder: { use: 'conv1d', channels: [64, 64], kernelSizes: [4, 4], strides: [2, 2], embeddingDim: 64 },
  tracking: { uri: 'none' },
});

/** The `dim` and `amdim` rows: each plugin's method with its defaults. */
const PLUGIN_METHOD_BENCH = {
  dim: { plugins: ['@contrastive/plugin-dim'], method: { use: 'dim' }, tracking: { uri: 'none' } },
  amdim: { plugins: ['@contrastive/plugin-amdim'], method: { use: 'amdim' }, tracking: { uri: 'none' } },
};

/** The `cmc` rows' method: two views of a grey image with different information, one encoder each. */
const CMC_BENCH = {
  plugins: ['@contrastive/plugin-cmc'],
  method: {
    use: 'cmc',
    views: [
      { name: 'image', transform: { use: 'image' }, augment: [{ use: 'random-resized-crop', scale: [0.6, 1] }, { use: 'flip' }] },
      { name: 'edges', transform: { use: 'gradient-magnitude' }, augment: [{ use: 'random-resized-crop', scale: [0.6, 1] }, { use: 'flip' }] },
    ],
  },
};

/** Child: one backend, one encoder, through the trainer; prints one JSON line. */
async function child() {
  const fw = require(path.join(root, 'packages/framework/dist'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-bench-'));
  const stamps = [];
  try {
    await fw.runTraining({
      raw: {
        name: 'bench', seed: 1, backend: args.backend,
        data: { use: 'synthetic', batchSize: args.batch, trainCount: args.batch * 4, testCount: 16 },
        encoder: { use: args.encoder },
        ...(args.method === 'cmc' ? CMC_BENCH : {}),
        ...(PLUGIN_METHOD_BENCH[args.method] ?? {}),
        ...(args.method === 'cpc' ? CPC_BENCH(args.batch) : {}),
        train: { steps: args.warmup + args.steps, logEvery: 1000000, outputDir: tmp },
      },
      silent: true,
      onStep: () => stamps.push(process.hrtime.bigint()),
    });
    const times = stamps.slice(args.warmup).map((t, i) => Number(t - stamps[args.warmup - 1 + i]) / 1e9);
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
    const report = await fw.selectBackend(args.backend);
    process.stdout.write(`${JSON.stringify({ batch: args.batch, provider: report.provider, threads: report.threads, stepSeconds: times, medianStepSeconds: median, examplesPerSecond: args.batch / median })}\n`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function lastJson(out) {
  const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  return line ? JSON.parse(line) : null;
}

function runChild(backend, encoder, env = {}, batch = args.batch, method = 'baseline') {
  const argv = [__filename, '--child', '--backend', backend, '--encoder', encoder, '--method', method, '--batch', String(batch), '--steps', String(args.steps), '--warmup', String(args.warmup)];
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env }, maxBuffer: 16 << 20 });
  const result = r.status === 0 ? lastJson(r.stdout) : null;
  return result ?? { error: (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(-3).join(' | ') };
}

function runTorch(encoder) {
  const probe = spawnSync(args.python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { error: `torch is not importable with ${args.python} (see tools/bench/README.md)` };
  const r = spawnSync(args.python, [path.join(__dirname, 'torch_reference.py'), '--encoder', encoder, '--batch', String(args.batch), '--steps', String(args.steps), '--warmup', String(args.warmup)], { encoding: 'utf8', maxBuffer: 16 << 20 });
  return (r.status === 0 && lastJson(r.stdout)) || { error: (r.stderr || '').trim().split('\n').slice(-2).join(' | ') };
}

async function usableBackends() {
  const fw = require(path.join(root, 'packages/framework/dist'));
  const report = await fw.selectBackend('auto', { probeAll: true });
  const usable = report.probes.filter((p) => p.status === 'chosen' || p.status === 'usable').map((p) => p.backend);
  return [...new Set(usable)].filter((b) => b !== 'cpu');
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One row from its per-round results: median examples/s and step time, rounds kept. */
function combine(results) {
  const ok = results.filter((r) => !r.error);
  if (ok.length === 0) return results[results.length - 1];
  const eps = median(ok.map((r) => r.examplesPerSecond));
  return { ...ok[0], examplesPerSecond: eps, medianStepSeconds: ok[0].batch / eps, rounds: results };
}

/** Runs one backend (halving the batch on wasm until it fits in its 4 GB); returns [label, result]. */
function measureBackend(backend, encoder, batchHint, method) {
  let batch = batchHint ?? args.batch;
  let r = runChild(backend, encoder, {}, batch, method);
  // WebAssembly has a 4 GB address space; a batch whose activations and their gradients
  // exceed it aborts. Measure the largest half batch that fits, labelled as such.
  while (backend === 'wasm' && /Aborted|out of memory/i.test(r.error || '') && batch > 16) {
    batch /= 2;
    r = runChild(backend, encoder, {}, batch, method);
  }
  const label = batch === args.batch ? backend : `wasm, batch ${batch} (${args.batch} > 4 GB wasm memory)`;
  return { label, batch, result: r };
}

async function parent() {
  if (!fs.existsSync(path.join(root, 'packages/framework/dist/index.js'))) throw new Error('build first: npm run build');
  const backends = args.backends ? args.backends.split(',') : await usableBackends();
  const variants = [...backends.map((b) => ({ backend: b })),
    ...(args.onednnOff && backends.includes('tensorflow') ? [{ backend: 'tensorflow', env: { TF_ENABLE_ONEDNN_OPTS: '0' }, label: 'tensorflow, TF_ENABLE_ONEDNN_OPTS=0' }] : [])];
  const rows = [];
  const cases = args.methods.split(',').flatMap((method) => (method === 'cpc' ? [{ method, encoder: 'conv1d' }] : args.encoders.split(',').map((encoder) => ({ method, encoder }))));
  for (const { method, encoder: encoderName } of cases) {
    const encoder = method === 'baseline' ? encoderName : `${method}/${encoderName}`;
    const torchRuns = [];
    const runs = variants.map(() => []);
    const batches = variants.map(() => undefined);
    const labels = variants.map((v) => v.label ?? v.backend);
    for (let round = 0; round < args.rounds; round++) {
      torchRuns.push(method === 'baseline' ? runTorch(encoderName) : { error: `no PyTorch reference for ${method}` });
      variants.forEach((v, i) => {
        if (v.env) {
          runs[i].push(runChild(v.backend, encoderName, v.env, args.batch, method));
          return;
        }
        const m = measureBackend(v.backend, encoderName, batches[i], method);
        batches[i] = m.batch;
        labels[i] = m.label;
        runs[i].push(m.result);
      });
    }
    const torch = combine(torchRuns);
    // Ratios per round (each against the PyTorch run just before it), then their median.
    const ratio = (rs) => {
      const per = rs.map((r, k) => (r.examplesPerSecond && torchRuns[k].examplesPerSecond
        ? r.examplesPerSecond / torchRuns[k].examplesPerSecond : null)).filter((x) => x !== null);
      return per.length ? median(per) : null;
    };
    variants.forEach((v, i) => rows.push({ ...combine(runs[i]), encoder, backend: labels[i], ratioToPytorch: ratio(runs[i]) }));
    if (method === 'baseline') rows.push({ encoder, backend: `pytorch${torch.torch ? ` ${torch.torch}` : ''}`, ...torch, isTorch: true, ratioToPytorch: torch.error ? null : 1 });
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ batch: args.batch, steps: args.steps, rounds: args.rounds, cores: os.cpus().length, loadAverage: os.loadavg(), rows })}\n`);
    return;
  }
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`training step (baseline; rows method/encoder: that method), batch ${args.batch}, 28x28x1, median of ${args.steps} steps after ${args.warmup} warm-up, median of ${args.rounds} alternating rounds; ${os.cpus().length} cores, load average ${load}`);
  console.log(`${'encoder'.padEnd(16)} ${'backend'.padEnd(38)} ${'threads'.padStart(7)} ${'ex/s'.padStart(8)} ${'step ms'.padStart(8)} ${'vs PyTorch'.padStart(10)}`);
  for (const r of rows) {
    const cells = r.error
      ? `  not measured: ${r.error}`
      : ` ${String(r.threads).padStart(7)} ${r.examplesPerSecond.toFixed(0).padStart(8)} ${(r.medianStepSeconds * 1000).toFixed(0).padStart(8)} ${(r.ratioToPytorch ? `${r.ratioToPytorch.toFixed(2)}x` : '-').padStart(10)}`;
    console.log(`${r.encoder.padEnd(16)} ${r.backend.padEnd(38)}${cells}`);
  }
}

(args.child ? child() : parent()).catch((err) => {
  console.error(err.message);
  process.exit(1);
});
