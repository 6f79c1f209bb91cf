import type { BackendName } from './backend-candidates';

/**
 * Turns a backend's opaque failure into an error that says what happened and what to do.
 * The wasm backend aborts with "Aborted()" when its heap cannot grow: WebAssembly (wasm32)
 * addresses at most 4 GB, and a training step keeps every activation and its gradient
 * alive at once (resnet-mini at batch 256, i.e. 512 views of 28x28, needs about 4 GB).
 * Other errors are returned unchanged.
 */
export function explainBackendError(err: unknown, backend: BackendName): unknown {
  const message = err instanceof Error ? err.message : String(err);
  if (backend === 'wasm' && /^Aborted\(/.test(message)) {
    const e = new Error(
      'the wasm backend ran out of memory (WebAssembly can address at most 4 GB, and a training step keeps every ' +
        'activation and its gradient): lower data.batchSize, use a smaller encoder, or use the tensorflow backend ' +
        `(\`contrastive doctor\` says why it is not used). Original error: ${message.split('\n')[0]}`,
    );
    e.stack = `${e.message}\n${(err as Error).stack ?? ''}`;
    return e;
  }
  return err;
}
