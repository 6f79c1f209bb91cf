import * as tf from '@tensorflow/tfjs';
import { UserInputError } from '../registry/errors';
import { BACKEND_PREFERENCE, loadCandidate, BACKEND_CANDIDATES, requestedThreads } from './backend-candidates';
import { selectBackend } from './select-backend';

/** A loader under which the native backend fails the way a missing libtensorflow does. */
const brokenNative = (name: string): unknown => {
  if (name.startsWith('@tensorflow/tfjs-node')) {
    throw Object.assign(new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory'), { code: 'ERR_DLOPEN_FAILED' });
  }
  return require(name);
};

test('auto prefers tfjs-node-gpu, tfjs-node, wasm, cpu in that order', () => {
  expect(BACKEND_PREFERENCE).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
});

test('auto chooses the first usable provider; those before it say why they were not usable', async () => {
  const report = await selectBackend('auto');
  const i = report.probes.findIndex((p) => p.status === 'chosen');
  expect(report.probes.map((p) => p.provider)).toEqual(BACKEND_PREFERENCE);
  expect(report.probes[i].provider).toBe(report.provider);
  expect(tf.getBackend()).toBe(report.chosen);
  for (const before of report.probes.slice(0, i)) {
    expect(['unavailable', 'not-installed', 'not-probed']).toContain(before.status);
    expect(before.reason.length).toBeGreaterThan(0);
  }
  for (const after of report.probes.slice(i + 1)) expect(after.reason).toBe(`${report.provider} is preferred`);
  expect(report.threads).toBeGreaterThanOrEqual(1);
});

test('a missing package is "not installed"; a broken one is "does not load" with the fix', () => {
  const gpu = BACKEND_CANDIDATES[0];
  const missing = Object.assign(new Error(`Cannot find module '${gpu.packageName}'`), { code: 'MODULE_NOT_FOUND' });
  expect(loadCandidate(gpu, () => { throw missing; })).toEqual({ ok: false, installed: false, reason: '@tensorflow/tfjs-node-gpu is not installed' });
  const broken = loadCandidate(BACKEND_CANDIDATES[1], brokenNative);
  expect(broken).toMatchObject({ ok: false, installed: true });
  expect((broken as { reason: string }).reason).toMatch(/tfjs-node does not load \(libtensorflow\.so\.2: cannot open.*run `npm run setup`/);
});

test('native backend failing to load: auto falls back to wasm with one notice line', async () => {
  const lines: string[] = [];
  const report = await selectBackend('auto', { load: brokenNative, notice: (l) => lines.push(l) });
  expect(report.chosen).toBe('wasm');
  expect(tf.getBackend()).toBe('wasm');
  expect(report.tensorflowVersion).toBeNull();
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toContain('\n');
  expect(lines[0]).toMatch(/^note: native TensorFlow backend unavailable \(@tensorflow\/tfjs-node does not load \(libtensorflow.*; training on wasm/);
});

test('neither native nor wasm: auto falls back to cpu', async () => {
  const noWasm = (name: string) => (name.includes('wasm') ? brokenNative('@tensorflow/tfjs-node') : brokenNative(name));
  const lines: string[] = [];
  const report = await selectBackend('auto', { load: noWasm, notice: (l) => lines.push(l) });
  expect(report.chosen).toBe('cpu');
  expect(report.threads).toBe(1);
  expect(report.probes.find((p) => p.provider === 'wasm')!.status).toBe('unavailable');
  expect(lines).toHaveLength(1);
});

test('an explicit backend that is unusable is a UserInputError naming each reason', async () => {
  const attempt = selectBackend('tensorflow', { load: brokenNative });
  await expect(attempt).rejects.toBeInstanceOf(UserInputError);
  await expect(selectBackend('tensorflow', { load: brokenNative })).rejects.toThrow(/backend "tensorflow" is not available/);
  try {
    await selectBackend('tensorflow', { load: brokenNative });
  } catch (err) {
    expect((err as UserInputError).details.join('\n')).toMatch(/tfjs-node: @tensorflow\/tfjs-node does not load/);
  }
  await expect(selectBackend('gpu' as never)).rejects.toThrow(/not one of auto, tensorflow, wasm, cpu/);
});

test('explicit wasm and cpu; probeAll reports every provider and leaves the chosen one active', async () => {
  expect((await selectBackend('cpu')).chosen).toBe('cpu');
  const wasm = await selectBackend('wasm', { probeAll: true });
  expect(wasm.chosen).toBe('wasm');
  expect(tf.getBackend()).toBe('wasm');
  expect(wasm.probes.find((p) => p.provider === 'cpu')!.reason).toMatch(/pure JavaScript.*; not used: backend "wasm" was asked for/);
  const all = await selectBackend('auto', { probeAll: true });
  expect(tf.getBackend()).toBe(all.chosen);
  expect(all.probes.find((p) => p.provider === 'cpu')!.status).toBe(all.provider === 'cpu' ? 'chosen' : 'usable');
});

test('CONTRASTIVE_THREADS must be a positive integer', () => {
  expect(requestedThreads({})).toBeNull();
  expect(requestedThreads({ CONTRASTIVE_THREADS: '2' })).toBe(2);
  expect(() => requestedThreads({ CONTRASTIVE_THREADS: 'all' })).toThrow(/CONTRASTIVE_THREADS must be a positive integer, got "all"/);
  expect(() => requestedThreads({ CONTRASTIVE_THREADS: '0' })).toThrow(UserInputError);
});
