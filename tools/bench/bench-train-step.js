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
 * shrugs off steps slowed by other processes on a shared machine).
 *
 * Usage (after `npm run build`):
 *   node tools/bench/bench-train-step.js [--encoders convnet,resnet-mini] [--backends tensorflow,wasm]
 *        [--batch 256] [--steps 10] [--warmup 2] [--python python3] [--onednn-off] [--json]
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
  const o = { encoders: 'convnet,resnet-mini', backends: '', batch: '256', steps: '10', warmup: '2', python: process.env.CONTRASTIVE_BENCH_PYTHON || 'python3' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2).replace(/-(\w)/g, (_, c) => c.toUpperCase());
    if (['json', 'onednnOff', 'child'].includes(key)) o[key] = true;
    else o[key] = argv[++i];
  }
  for (const k of ['batch', 'steps', 'warmup']) {
    if (!(Number.isInteger(Number(o[k])) && Number(o[k]) >= (k === 'warmup' ? 1 : 1))) throw new Error(`--${k} must be a positive integer`);
    o[k] = Number(o[k]);
  }
  return o;
}

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

function runChild(backend, encoder, env = {}, batch = args.batch) {
  const argv = [__filename, '--child', '--backend', backend, '--encoder', encoder, '--batch', String(batch), '--steps', String(args.steps), '--warmup', String(args.warmup)];
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

async function parent() {
  if (!fs.existsSync(path.join(root, 'packages/framework/dist/index.js'))) throw new Error('build first: npm run build');
  const backends = args.backends ? args.backends.split(',') : await usableBackends();
  const rows = [];
  for (const encoder of args.encoders.split(',')) {
    const torch = runTorch(encoder);
    for (const backend of backends) {
      const r = runChild(backend, encoder);
      rows.push({ ...r, encoder, backend });
      // WebAssembly has a 4 GB address space; a batch whose activations and their gradients
      // exceed it aborts. Measure the largest half batch that fits, labelled as such.
      let batch = args.batch;
      while (backend === 'wasm' && /Aborted|out of memory/i.test(r.error || '') && batch > 16) {
        batch /= 2;
        const smaller = runChild(backend, encoder, {}, batch);
        if (smaller.error) continue;
        rows.push({ ...smaller, encoder, backend: `wasm, batch ${batch} (${args.batch} > 4 GB wasm memory)` });
        break;
      }
    }
    if (args.onednnOff && backends.includes('tensorflow')) {
      rows.push({ ...runChild('tensorflow', encoder, { TF_ENABLE_ONEDNN_OPTS: '0' }), encoder, backend: 'tensorflow, TF_ENABLE_ONEDNN_OPTS=0' });
    }
    rows.push({ encoder, backend: `pytorch${torch.torch ? ` ${torch.torch}` : ''}`, ...torch, isTorch: true });
    const ref = torch.examplesPerSecond;
    for (const r of rows.filter((x) => x.encoder === encoder)) r.ratioToPytorch = ref && r.examplesPerSecond ? r.examplesPerSecond / ref : null;
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ batch: args.batch, steps: args.steps, cores: os.cpus().length, loadAverage: os.loadavg(), rows })}\n`);
    return;
  }
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`baseline training step, batch ${args.batch}, 28x28x1, median of ${args.steps} steps after ${args.warmup} warm-up; ${os.cpus().length} cores, load average ${load}`);
  console.log(`${'encoder'.padEnd(12)} ${'backend'.padEnd(38)} ${'threads'.padStart(7)} ${'ex/s'.padStart(8)} ${'step ms'.padStart(8)} ${'vs PyTorch'.padStart(10)}`);
  for (const r of rows) {
    const cells = r.error
      ? `  not measured: ${r.error}`
      : ` ${String(r.threads).padStart(7)} ${r.examplesPerSecond.toFixed(0).padStart(8)} ${(r.medianStepSeconds * 1000).toFixed(0).padStart(8)} ${(r.ratioToPytorch ? `${r.ratioToPytorch.toFixed(2)}x` : '-').padStart(10)}`;
    console.log(`${r.encoder.padEnd(12)} ${r.backend.padEnd(38)}${cells}`);
  }
}

(args.child ? child() : parent()).catch((err) => {
  console.error(err.message);
  process.exit(1);
});
