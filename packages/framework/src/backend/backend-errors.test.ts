import { explainBackendError } from './backend-errors';

test('a wasm abort becomes an out-of-memory error that says what to change', () => {
  const abort = new Error('Aborted(). Build with -sASSERTIONS for more info.');
  const explained = explainBackendError(abort, 'wasm') as Error;
  expect(explained.message).toMatch(/^the wasm backend ran out of memory \(WebAssembly can address at most 4 GB/);
  expect(explained.message).toMatch(/lower data\.batchSize.*Original error: Aborted\(\)\. Build with/);
});

test('other errors, and aborts on other backends, pass through unchanged', () => {
  const other = new Error('shapes do not match');
  expect(explainBackendError(other, 'wasm')).toBe(other);
  const abort = new Error('Aborted()');
  expect(explainBackendError(abort, 'tensorflow')).toBe(abort);
});
