#!/usr/bin/env node
/**
 * A real MLflow tracking server for tests and for CI, from the pinned `mlflow` on PyPI.
 *
 *   node tools/mlflow-server/mlflow-server.js install        # virtualenv + pinned mlflow (cached)
 *   node tools/mlflow-server/mlflow-server.js which          # prints the mlflow executable, or exits 1
 *
 * The virtualenv lives in $CONTRASTIVE_CACHE_DIR (default ~/.cache/contrastive)/mlflow-<version>,
 * so it is installed once per machine. MLFLOW_BIN overrides which `mlflow` is used.
 * startServer() runs `mlflow server` on 127.0.0.1 (a free port) with a SQLite backend and
 * served artifacts in a folder of its own, in its own process group so it can be stopped
 * (or killed, for fault tests) with everything it started.
 */
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

/** The MLflow release the project is tested against (3.18.0 is listed on PyPI without its mlflow-skinny). */
const MLFLOW_VERSION = '3.17.2';

const cacheDir = () =>
  process.env.CONTRASTIVE_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'contrastive');
const venvDir = () => path.join(cacheDir(), `mlflow-${MLFLOW_VERSION}`);

/** The `mlflow` executable: MLFLOW_BIN, the cached virtualenv, or null. */
function findMlflow() {
  if (process.env.MLFLOW_BIN) return process.env.MLFLOW_BIN;
  const bin = path.join(venvDir(), 'bin', 'mlflow');
  return fs.existsSync(bin) ? bin : null;
}

/** The Python that has `mlflow` installed (beside the executable), or null. */
function findMlflowPython() {
  const bin = findMlflow();
  if (!bin) return null;
  const py = path.join(path.dirname(bin), 'python');
  return fs.existsSync(py) ? py : null;
}

/** Creates the virtualenv and installs the pinned mlflow into it; does nothing when present. */
function installMlflow({ quiet = false } = {}) {
  const bin = path.join(venvDir(), 'bin', 'mlflow');
  const python = path.join(venvDir(), 'bin', 'python');
  // The `auth` extra brings what `--app-name basic-auth` needs (tests use it for credentials).
  const versionOk = () => fs.existsSync(bin) &&
    spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.includes(MLFLOW_VERSION) &&
    spawnSync(python, ['-c', 'import flask_wtf'], { stdio: 'ignore' }).status === 0;
  if (versionOk()) return bin;
  const log = (m) => (quiet ? undefined : process.stderr.write(`[mlflow-server] ${m}\n`));
  log(`installing mlflow==${MLFLOW_VERSION} into ${venvDir()} (once per machine)`);
  fs.mkdirSync(cacheDir(), { recursive: true });
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
  };
  if (!fs.existsSync(python)) run(process.env.PYTHON || 'python3', ['-m', 'venv', venvDir()]);
  run(path.join(venvDir(), 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `mlflow[auth]==${MLFLOW_VERSION}`]);
  if (!versionOk()) throw new Error(`mlflow ${MLFLOW_VERSION} did not install into ${venvDir()}`);
  return bin;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts `mlflow server` (SQLite backend and served artifacts under `dir`). Resolves at once
 * with a handle; `ready(timeoutMs)` waits until /health answers. `extraArgs` and `env` are
 * added to the command (e.g. `--app-name basic-auth`).
 */
async function startServer({ dir, port, extraArgs = [], env = {} } = {}) {
  const bin = findMlflow();
  if (!bin) throw new Error('mlflow is not installed: run `node tools/mlflow-server/mlflow-server.js install` (or set MLFLOW_BIN)');
  const root = dir || fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-server-'));
  fs.mkdirSync(root, { recursive: true });
  const chosen = port || (await freePort());
  const args = [
    'server', '--backend-store-uri', `sqlite:///${path.join(root, 'mlflow.db')}`,
    '--artifacts-destination', path.join(root, 'artifacts'), '--serve-artifacts',
    '--host', '127.0.0.1', '--port', String(chosen), '--workers', '1', ...extraArgs,
  ];
  // No background job runner (it starts a handful of worker processes the tests never use).
  const childEnv = { ...process.env, MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false', ...env };
  delete childEnv.MLFLOW_TRACKING_URI;
  const logFile = path.join(root, 'server.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(bin, args, { cwd: root, env: childEnv, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.unref();
  const uri = `http://127.0.0.1:${chosen}`;
  let exited = false;
  child.on('exit', () => (exited = true));
  const handle = {
    uri, port: chosen, dir: root, pid: child.pid, logFile,
    async ready(timeoutMs = 120000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (exited) throw new Error(`mlflow server exited during start-up; see ${logFile}:\n${tail(logFile)}`);
        try {
          const res = await fetch(`${uri}/health`, { signal: AbortSignal.timeout(2000) });
          if (res.ok) return uri;
        } catch {
          // not up yet
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`mlflow server at ${uri} did not answer within ${timeoutMs} ms; see ${logFile}:\n${tail(logFile)}`);
    },
    /** Stops the server and everything it started; 'SIGKILL' simulates a crash. */
    async stop(signal = 'SIGTERM') {
      if (exited) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        return;
      }
      const deadline = Date.now() + 15000;
      while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      // The port must be free again before a restart on it.
      while (Date.now() < deadline && !(await portFree(chosen))) await new Promise((r) => setTimeout(r, 100));
    },
  };
  return handle;
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function tail(file) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

module.exports = { MLFLOW_VERSION, findMlflow, findMlflowPython, installMlflow, startServer, freePort, venvDir };

if (require.main === module) {
  const [cmd] = process.argv.slice(2);
  if (cmd === 'install') {
    process.stdout.write(`${installMlflow()}\n`);
  } else if (cmd === 'which') {
    const bin = findMlflow();
    if (!bin) process.exit(1);
    process.stdout.write(`${bin}\n`);
  } else {
    process.stderr.write('usage: mlflow-server.js install | which\n');
    process.exit(2);
  }
}
