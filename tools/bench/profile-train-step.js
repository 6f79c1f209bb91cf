#!/usr/bin/env node
/**
 * Where a training step's time goes, kernel by kernel: runs a few steps of the baseline
 * method through the framework's trainer (synthetic data) under `tf.profile` and prints the
 * kernels that took longest per step, grouped by name and input shapes, plus the number of
 * kernel launches per step. A companion to bench-train-step.js, for finding what to speed up.
 *
 * Profiling times every kernel separately, which inflates small kernels: compare rows with
 * each other, and take throughput from bench-train-step.js.
 *
 * Usage (after `npm run build`):
 *   node tools/bench/profile-train-step.js [--backend tensorflow] [--encoder convnet] [--batch 256] [--steps 4] [--top 25]
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const defaults = { backend: 'auto', encoder: 'convnet', batch: '256', steps: '4', top: '25' };
const args = { ...defaults };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in defaults) || argv[i + 1] === undefined) {
    console.error(`unknown or incomplete option ${argv[i]}; options: ${Object.keys(defaults).map((k) => `--${k}`).join(' ')}`);
    process.exit(2);
  }
  args[key] = argv[i + 1];
}
for (const k of ['batch', 'steps', 'top']) {
  if (!(Number.isInteger(Number(args[k])) && Number(args[k]) >= 1)) {
    console.error(`--${k} must be a positive integer (got ${args[k]})`);
    process.exit(2);
  }
}

async function main() {
  if (!fs.existsSync(path.join(root, 'packages/framework/dist/index.js'))) throw new Error('build first: npm run build');
  const fw = require(path.join(root, 'packages/framework/dist'));
  const tf = require(require.resolve('@tensorflow/tfjs', { paths: [path.join(root, 'packages/framework')] }));
  const steps = Number(args.steps);
  const batch = Number(args.batch);
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-profile-'));
  const raw = (n) => ({
    name: 'profile', seed: 1, backend: args.backend, tracking: { uri: 'none' },
    data: { use: 'synthetic', batchSize: batch, trainCount: batch * 4, testCount: 16 },
    encoder: { use: args.encoder }, train: { steps: n, logEvery: 1000000, outputDir },
  });
  try {
    await fw.runTraining({ raw: raw(1), silent: true }); // warm-up: kernels compiled, caches filled
    // Profile 1 step and `steps` steps; the difference is `steps - 1` steps without set-up.
    const profileRun = async (n) => (await tf.profile(() => fw.runTraining({ raw: raw(n), silent: true }))).kernels;
    const base = await profileRun(1);
    const t0 = process.hrtime.bigint();
    const kernels = await profileRun(steps + 1);
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const groups = new Map();
    const add = (list, sign) => {
      for (const k of list) {
        const key = `${k.name} ${k.inputShapes.map((s) => (s ? s.join('x') : '-')).join(', ')}`;
        const g = groups.get(key) ?? { ms: 0, calls: 0 };
        g.ms += sign * k.kernelTimeMs;
        g.calls += sign;
        groups.set(key, g);
      }
    };
    add(kernels, 1);
    add(base, -1);
    const rows = [...groups.entries()].filter(([, g]) => g.calls > 0).sort((a, b) => b[1].ms - a[1].ms);
    const launches = (kernels.length - base.length) / steps;
    const totalMs = rows.reduce((s, [, g]) => s + g.ms, 0) / steps;
    const report = await fw.selectBackend(args.backend);
    console.log(`${args.encoder} on ${report.chosen}, batch ${batch}, ${steps} profiled steps: ${launches.toFixed(0)} kernel launches and ${totalMs.toFixed(1)} ms of kernel time per step (nested kernels counted in their parent too); profiled wall time ${(wallMs / (steps + 1)).toFixed(0)} ms per step incl. set-up`);
    console.log(`${'ms/step'.padStart(8)} ${'calls'.padStart(5)}  kernel and input shapes`);
    for (const [key, g] of rows.slice(0, Number(args.top))) {
      console.log(`${(g.ms / steps).toFixed(2).padStart(8)} ${(g.calls / steps).toFixed(0).padStart(5)}  ${key}`);
    }
  } finally {
    fs.rmSync(outputDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
