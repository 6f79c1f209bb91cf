import { selectBackend } from './select-backend';

beforeAll(() => {
  process.env.CONTRASTIVE_THREADS = '1'; // before the wasm backend of this file's module registry starts
});
afterAll(() => {
  delete process.env.CONTRASTIVE_THREADS;
});

test('CONTRASTIVE_THREADS=1 keeps wasm on its single-threaded build and says why', async () => {
  const report = await selectBackend('wasm', { probeAll: true });
  expect(report.threads).toBe(1);
  expect(report.probes.find((p) => p.provider === 'wasm')!.reason)
    .toBe('WebAssembly (XNNPACK, SIMD), 1 thread (single-threaded build: CONTRASTIVE_THREADS=1)');
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { BackendWasm: unknown };
  const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
  // The single-threaded build has no emscripten pthread pool.
  expect('PThread' in (tf.backend() as unknown as { wasm: object }).wasm).toBe(false);
  expect(tf.backend()).toBeInstanceOf(wasm.BackendWasm as never);
});
