#!/usr/bin/env node
/**
 * Brings up TensorFlow.js's native backend (@tensorflow/tfjs-node) without the download
 * its own install script makes from Google's storage.
 *
 * The `tensorflow-cpu` wheel on PyPI ships the same C API the tfjs-node binding calls
 * (libtensorflow_cc.so.2 + libtensorflow_framework.so.2, headers under tensorflow/include).
 * This script fetches that wheel with pip (cached), places the libraries and headers under
 * the package's deps/ with the file names the binding links against, and compiles the
 * unmodified binding from source with the node-gyp that ships with npm.
 *
 * Idempotent: when the binding already loads (set up before, or installed normally online)
 * it does nothing. It never fails the caller: without the native backend, `backend: auto`
 * falls back to wasm/cpu, so a failure here is reported and the exit code stays 0 unless
 * --strict is given.
 *
 * Needs: python3 (pip only when the wheel is not cached yet), make and g++; each is checked
 * first and a missing one is named with the package that provides it.
 * Usage: node tools/setup-native/setup-native.js [--strict] [--force] [--quiet]
 * Env:   CONTRASTIVE_TF_WHEEL_VERSION (default 2.21.0), CONTRASTIVE_CACHE_DIR (wheel cache:
 *        <dir>/wheels, default ~/.cache/contrastive)
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const TF_VERSION = process.env.CONTRASTIVE_TF_WHEEL_VERSION || '2.21.0';
const args = new Set(process.argv.slice(2));
const strict = args.has('--strict');
const force = args.has('--force');
const quiet = args.has('--quiet');
const repoRoot = path.resolve(__dirname, '..', '..');
const cacheDir =
  process.env.CONTRASTIVE_CACHE_DIR ||
  path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'contrastive');

function log(msg) {
  if (!quiet) process.stderr.write(`[setup-native] ${msg}\n`);
}

function fail(msg) {
  process.stderr.write(`[setup-native] native backend NOT set up: ${msg}\n`);
  process.stderr.write('[setup-native] training will fall back to the wasm/cpu backends (much slower).\n');
  process.exit(strict ? 1 : 0);
}

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  return { ok: r.status === 0, status: r.status, out: `${r.stdout || ''}${r.stderr || ''}`, error: r.error };
}

/** Loads the binding in a child process (a failed dlopen must not take this one down). */
function bindingWorks(pkgDir) {
  const probe =
    "const tf=require(process.argv[1]);const t=tf.tensor([1,2]).square().sum().dataSync()[0];" +
    "if(tf.getBackend()!=='tensorflow'||t!==5)process.exit(3);console.log(tf.version_node||'ok')";
  const r = run(process.execPath, ['-e', probe, pkgDir], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
  return r.ok;
}

function findPackage() {
  try {
    return path.dirname(require.resolve('@tensorflow/tfjs-node/package.json', { paths: [repoRoot] }));
  } catch {
    return null;
  }
}

function findPython() {
  for (const py of ['python3', 'python']) {
    const r = run(py, ['-c', 'import sys,zipfile;print(sys.version)']);
    if (r.ok) return py;
  }
  return null;
}

/** The first of `commands` that runs with --version, or null. */
function findTool(...commands) {
  return commands.find((c) => run(c, ['--version']).ok) || null;
}

/**
 * pip download of the wheel into wheelDir. pip picks the wheel for the running Python; if
 * there is none for it (a Python newer than the release), the libraries are the same in
 * every wheel, so the cp311 one is asked for explicitly.
 */
function downloadWheel(python, wheelDir) {
  const base = ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', wheelDir, `tensorflow-cpu==${TF_VERSION}`];
  const opts = { stdio: ['ignore', 'pipe', 'pipe'] };
  let r = run(python, base, opts);
  if (!findWheel(wheelDir)) {
    log('no wheel for this Python; asking for the cp311 manylinux wheel (same libraries)');
    r = run(python, [...base, '--python-version', '3.11', '--implementation', 'cp', '--abi', 'cp311', '--platform', 'manylinux_2_27_x86_64'], opts);
  }
  return r;
}

function findWheel(dir) {
  if (!fs.existsSync(dir)) return null;
  const name = fs
    .readdirSync(dir)
    .find((f) => f.startsWith(`tensorflow_cpu-${TF_VERSION}-`) && f.endsWith('.whl'));
  return name ? path.join(dir, name) : null;
}

function findNodeGyp() {
  const candidates = [
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js', { paths: [repoRoot] }));
  } catch {
    /* not installed locally */
  }
  return candidates.find((c) => fs.existsSync(c)) || null;
}

/** Node's own headers, so node-gyp does not try to download them. */
function findNodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

function main() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(`this script supports linux-x64 only (here: ${process.platform}-${process.arch}); use tfjs-node's own install`);
  }
  const pkgDir = findPackage();
  if (!pkgDir) fail('@tensorflow/tfjs-node is not installed (it is an optional dependency; run `npm ci`)');
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));

  if (!force && bindingWorks(pkgDir)) {
    log(`native backend ready (@tensorflow/tfjs-node ${pkg.version}); nothing to do`);
    return;
  }

  log(`${force ? 'rebuilding (--force)' : `@tensorflow/tfjs-node ${pkg.version} does not load yet`}: building it from the tensorflow-cpu ${TF_VERSION} wheel`);
  const python = findPython();
  if (!python) fail('python3 is needed (to fetch and unpack the tensorflow-cpu wheel; `apt-get install python3 python3-pip`)');
  // Checked before the long download: without them the binding cannot be compiled.
  if (!findTool('make')) fail('`make` is needed to compile the tfjs-node binding (`apt-get install make g++`)');
  if (!findTool(process.env.CXX || 'g++', 'c++')) fail('a C++ compiler (g++) is needed to compile the tfjs-node binding (`apt-get install g++`)');

  const wheelDir = path.join(cacheDir, 'wheels');
  let wheel = findWheel(wheelDir);
  if (!wheel) {
    if (!run(python, ['-m', 'pip', '--version']).ok) {
      fail(`pip is needed to download tensorflow-cpu==${TF_VERSION} (\`apt-get install python3-pip\`), or put its wheel in ${wheelDir}`);
    }
    log(`downloading tensorflow-cpu==${TF_VERSION} from PyPI into ${wheelDir} (about 275 MB, once; later runs reuse it)`);
    fs.mkdirSync(wheelDir, { recursive: true });
    const r = downloadWheel(python, wheelDir);
    wheel = findWheel(wheelDir);
    if (!wheel) fail(`pip download tensorflow-cpu==${TF_VERSION} failed:\n${r.out.slice(-2000)}`);
  } else {
    log(`using the cached wheel ${wheel}`);
  }

  const depsDir = path.join(pkgDir, 'deps');
  const libDir = path.join(depsDir, 'lib');
  log(`extracting libtensorflow and headers into ${depsDir}`);
  fs.rmSync(depsDir, { recursive: true, force: true });
  fs.mkdirSync(libDir, { recursive: true });
  const extract = `
import os, shutil, sys, zipfile
wheel, deps = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(wheel)
names = set(z.namelist())
for lib in ('libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'):
    member = 'tensorflow/' + lib
    if member not in names:
        sys.exit('wheel has no ' + member)
    with z.open(member) as s, open(os.path.join(deps, 'lib', lib), 'wb') as d:
        shutil.copyfileobj(s, d, 1 << 22)
prefix = 'tensorflow/include/'
for n in names:
    if n.startswith(prefix) and not n.endswith('/'):
        p = os.path.join(deps, 'include', n[len(prefix):])
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with z.open(n) as s, open(p, 'wb') as d:
            shutil.copyfileobj(s, d)
`;
  const ex = run(python, ['-c', extract, wheel, depsDir]);
  if (!ex.ok) fail(`could not extract ${wheel}:\n${ex.out.slice(-2000)}`);

  // The binding links -ltensorflow -ltensorflow_framework and tfjs-node checks for the
  // 2.9.1 file names it would have downloaded; point all of them at the wheel's libraries.
  const links = {
    'libtensorflow.so': 'libtensorflow_cc.so.2',
    'libtensorflow.so.2': 'libtensorflow_cc.so.2',
    'libtensorflow.so.2.9.1': 'libtensorflow_cc.so.2',
    'libtensorflow_framework.so': 'libtensorflow_framework.so.2',
    'libtensorflow_framework.so.2.9.1': 'libtensorflow_framework.so.2',
  };
  for (const [name, target] of Object.entries(links)) fs.symlinkSync(target, path.join(libDir, name));

  const nodeGyp = findNodeGyp();
  if (!nodeGyp) fail('node-gyp not found (it ships with npm); install it with `npm i -g node-gyp`');
  const nodeDir = findNodeDir();
  const napi = Math.max(...pkg.binary.napi_versions.filter((v) => v <= Number(process.versions.napi)));
  const modulePath = path.join(pkgDir, pkg.binary.module_path.replace('{napi_build_version}', String(napi)));
  log(`compiling the tfjs-node binding (N-API ${napi}) with ${os.cpus().length} jobs`);
  const gypArgs = [
    nodeGyp, 'rebuild', `--jobs=${os.cpus().length}`,
    `--module_name=${pkg.binary.module_name}`, `--module_path=${modulePath}`, `--napi_build_version=${napi}`,
  ];
  if (nodeDir) gypArgs.push(`--nodedir=${nodeDir}`);
  const build = run(process.execPath, gypArgs, { cwd: pkgDir });
  if (!build.ok) fail(`building the binding failed:\n${build.out.slice(-3000)}`);
  // node-gyp resolves a relative module_path against build/; copy to where tfjs-node looks.
  const built = path.join(pkgDir, 'build', 'Release', `${pkg.binary.module_name}.node`);
  fs.mkdirSync(modulePath, { recursive: true });
  fs.copyFileSync(built, path.join(modulePath, `${pkg.binary.module_name}.node`));

  if (!bindingWorks(pkgDir)) fail('the binding was built but does not load; run with --force to rebuild');
  fs.writeFileSync(
    path.join(depsDir, 'contrastive-setup.json'),
    JSON.stringify({ tensorflowWheel: path.basename(wheel), tfjsNode: pkg.version, napi, builtAt: new Date().toISOString() }, null, 2),
  );
  log(`native backend ready: @tensorflow/tfjs-node ${pkg.version} on TensorFlow ${TF_VERSION} (from the PyPI wheel)`);
}

main();
