import { spawnSync } from 'child_process';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { coreCount } from './backend-candidates';
import { selectBackend } from './select-backend';
import { explainBackendError } from './backend-errors';
import { guardThreadedHeap, WASM_MAX_THREADS, wasmThreadsBlocker, type WasmThreadsRuntime } from './wasm-node-threads';

/** Threads the wasm backend should compute with when CONTRASTIVE_THREADS is unset. */
const everyCore = Math.min(coreCount(), WASM_MAX_THREADS);
const capable: WasmThreadsRuntime = { tfjsWasmVersion: '4.22.0', hasSharedArrayBuffer: true, hasWorkerThreads: true, hasResolveObjectURL: true };

beforeAll(() => {
  delete process.env.CONTRASTIVE_THREADS; // this file checks the default: every core
});

test('wasm computes on every core (at most 8) through worker threads, and doctor\'s text says how many', async () => {
  const report = await selectBackend('wasm', { probeAll: true });
  expect(report.threads).toBe(everyCore);
  if (coreCount() > 1) expect(report.threads).toBeGreaterThan(1);
  const wasm = report.probes.find((p) => p.provider === 'wasm')!;
  expect(wasm.reason).toBe(everyCore > 1
    ? `WebAssembly (XNNPACK, SIMD, threads), ${everyCore} threads on worker_threads`
    : 'WebAssembly (XNNPACK, SIMD), 1 thread (single-threaded build: one core)');
  // XNNPACK's pool really runs: a matmul big enough to be split gives the product.
  const a = tf.tensor2d(Float32Array.from({ length: 256 * 64 }, (_, i) => (i % 7) - 3), [256, 64]);
  const product = tf.matMul(a, a, false, true);
  const row0 = a.slice([0, 0], [1, 64]).dataSync() as Float32Array;
  const got = product.dataSync();
  for (const j of [0, 1, 100, 255]) {
    const rowJ = a.slice([j, 0], [1, 64]).dataSync() as Float32Array;
    expect(got[j]).toBe(row0.reduce((s, v, k) => s + v * rowJ[k], 0));
  }
  tf.dispose([a, product]);
});

test('threads are refused with a one-line reason where the runtime cannot start them', () => {
  expect(wasmThreadsBlocker(capable)).toBeNull();
  expect(wasmThreadsBlocker({ ...capable, hasSharedArrayBuffer: false })).toBe('this Node.js has no SharedArrayBuffer');
  expect(wasmThreadsBlocker({ ...capable, hasWorkerThreads: false })).toBe('this Node.js has no worker_threads');
  expect(wasmThreadsBlocker({ ...capable, hasResolveObjectURL: false })).toMatch(/^this Node.js has no buffer.resolveObjectURL/);
  expect(wasmThreadsBlocker({ ...capable, tfjsWasmVersion: '4.23.0' })).toBe('threads under Node.js are set up for tfjs-backend-wasm 4.22 only, found 4.23.0');
  expect(wasmThreadsBlocker({ ...capable, tfjsWasmVersion: null })).toMatch(/found an unknown version$/);
});

/** Loads the framework's TypeScript sources in a plain `node` (transpiled on require, no build needed). */
const TS_HOOK = `
const fs = require('fs'); const ts = require('typescript');
require.extensions['.ts'] = (m, file) => m._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'),
  { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, experimentalDecorators: true, emitDecoratorMetadata: true } }).outputText, file);
require('reflect-metadata');`;

test('a process that trained on the threaded wasm backend exits by itself', () => {
  const script = `${TS_HOOK}
const tf = require('@tensorflow/tfjs');
require(${JSON.stringify(path.join(__dirname, 'select-backend.ts'))}).selectBackend('wasm').then((report) => {
  const w = tf.variable(tf.ones([64, 64]));
  const x = tf.ones([32, 64]);
  const { value } = tf.variableGrads(() => tf.matMul(x, w).square().mean(), [w]);
  console.log(JSON.stringify({ threads: report.threads, loss: value.dataSync()[0] }));
});`;
  // A hang would be killed by the timeout and fail on the signal, not on time.
  const child = spawnSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8', timeout: 60000, env: { ...process.env, CONTRASTIVE_THREADS: '' } });
  expect({ signal: child.signal, status: child.status, stderr: child.status === 0 ? '' : child.stderr }).toEqual({ signal: null, status: 0, stderr: '' });
  expect(JSON.parse(child.stdout.trim().split('\n').pop()!)).toEqual({ threads: everyCore, loss: 64 * 64 });
});

test('a full threaded heap fails like the single-threaded build (an explained out-of-memory error), not silently', () => {
  let next = 64;
  const heap = { PThread: {}, asm: { malloc: (bytes: number) => (next + bytes > 1024 ? 0 : (next += bytes) - bytes) }, _malloc: (_: number) => -1 };
  guardThreadedHeap({ wasm: heap });
  expect(heap._malloc(512)).toBe(64);
  expect(() => heap._malloc(512)).toThrow('Aborted(OOM: the threaded wasm heap cannot hold 512 more bytes)');
  let caught: unknown;
  try { heap._malloc(1000); } catch (err) { caught = err; }
  expect((explainBackendError(caught, 'wasm') as Error).message).toMatch(/^the wasm backend ran out of memory .*Original error: Aborted\(OOM/);
  const single = { asm: { malloc: () => 0 }, _malloc: () => 0 }; // single-threaded build: aborts by itself, left alone
  guardThreadedHeap({ wasm: single });
  expect(single._malloc()).toBe(0);
});
