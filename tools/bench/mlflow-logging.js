#!/usr/bin/env node
/**
 * What MLflow tracking costs a training loop: the time of one per-step logBatch call (the
 * journal append, which is all training waits for) and how fast the spooled steps reach a
 * file store and, if a URI is given, a tracking server.
 *
 * Usage: npm run build && node tools/bench/mlflow-logging.js [steps=20000] [http://127.0.0.1:5000]
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { SpooledRun, FileStore, ServerBackend } = require('../../packages/mlflow-client/dist');

async function bench(label, backend, steps, dir) {
  const run = SpooledRun.start({
    backend, spoolDir: path.join(dir, `spool-${label}`), experimentName: 'bench', runName: label,
    flushIntervalMs: 2000, notify: (l) => process.stderr.write(`${l}\n`),
  });
  await run.connect(30000);
  const t0 = process.hrtime.bigint();
  for (let s = 1; s <= steps; s++) {
    run.logBatch({ metrics: [
      { key: 'loss', value: 1 / s, timestamp: Date.now(), step: s },
      { key: 'lr', value: 0.001, timestamp: Date.now(), step: s },
      { key: 'examples_per_second', value: 2500, timestamp: Date.now(), step: s },
    ] });
  }
  const logged = Number(process.hrtime.bigint() - t0) / 1e6;
  const t1 = process.hrtime.bigint();
  const left = await run.close('FINISHED', 600000);
  const flushed = Number(process.hrtime.bigint() - t1) / 1e6;
  const history = await backend.getMetricHistory(run.runId, 'loss');
  console.log(`${label}: ${steps} steps x 3 metrics: ${(logged * 1000 / steps).toFixed(1)} us per step to log; ` +
    `sent in ${(flushed / 1000).toFixed(2)} s (${Math.round((steps * 3) / (flushed / 1000))} metric values/s); ` +
    `${history.length} loss values on the backend, ${left} left`);
}

(async () => {
  const steps = Number(process.argv[2] || 20000);
  const uri = process.argv[3];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-bench-'));
  try {
    await bench('file-store', new FileStore(path.join(dir, 'mlruns')), steps, dir);
    if (uri) await bench('server', new ServerBackend(uri), steps, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
})();
