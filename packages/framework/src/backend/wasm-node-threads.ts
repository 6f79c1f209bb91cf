import * as tf from '@tensorflow/tfjs';
import type { TransferListItem, Worker as NodeWorker, WorkerOptions } from 'worker_threads';

/*
 * Why this file exists. tfjs-backend-wasm 4.22 ships a multi-threaded build (threaded SIMD
 * binary + emscripten pthread worker with a worker_threads branch), but turns it off under
 * Node.js (flag WASM_HAS_MULTITHREAD_SUPPORT is false when IS_NODE, tfjs issue 3830). Three
 * things stand in the way, and this module handles exactly those, without editing the package:
 *
 * 1. Its loader gives emscripten the pthread worker script as a `blob:` URL and the main
 *    script as a Blob. emscripten starts workers with `new Worker(url)` on the global `Worker`
 *    (which it sets to worker_threads.Worker), and Node cannot start a worker from a blob:
 *    URL nor `importScripts` one. A global accessor hands emscripten BlobUrlWorker instead: it
 *    starts a small bootstrap, reads both blobs (buffer.resolveObjectURL) and sends their text
 *    ahead of emscripten's first message, which it holds back until then.
 * 2. The main script is the factory's source text cut out of the package's rollup bundle, so
 *    it names the bundle's module variables (require$$0 = fs, ...). The bootstrap defines them
 *    in the worker. They are specific to the 4.22 bundle: other versions stay single-threaded.
 * 3. The C side caps its threads at `emscripten_num_logical_cores() / 2` (assuming two
 *    hyper-threads per core), i.e. 1 on a 2-core machine. A one-shot wrapper of
 *    WebAssembly.instantiate answers that import with twice the threads asked for.
 * And: emscripten ref()s a worker while its pthread runs; XNNPACK's pool threads live as long
 * as the process, so Node would never exit. BlobUrlWorker keeps its workers unref'd.
 */

/** Workers tfjs-backend-wasm 4.22 pre-creates; its C side never uses more threads than that. */
export const WASM_MAX_THREADS = 8;

/** Stands for the main script in the `load` message (the worker cannot read the Blob itself). */
const MAIN_SCRIPT = 'contrastive:wasm-threaded-main-script';

/** Runs in each pthread worker before emscripten's worker script (sent as the first message). */
const BOOTSTRAP = `
const { parentPort } = require('worker_threads');
Object.assign(globalThis, {
  require$$0: require('fs'), require$$1: require('path'), require$$3: require('perf_hooks'),
  require$$4: require('os'), commonjsGlobal: globalThis,
});
parentPort.on('message', (message) => {
  const scripts = message && message.contrastiveScripts;
  if (!scripts) return;
  (0, eval)(scripts.worker);
  const importScripts = globalThis.importScripts;
  globalThis.importScripts = (file) => (file === '${MAIN_SCRIPT}' ? (0, eval)(scripts.main) : importScripts(file));
});`;

/** What enabling threads needs from the runtime; {@link wasmThreadsBlocker} checks it. */
export interface WasmThreadsRuntime {
  /** Installed @tensorflow/tfjs-backend-wasm version (null: unknown). */
  tfjsWasmVersion: string | null;
  hasSharedArrayBuffer: boolean;
  hasWorkerThreads: boolean;
  /** `require('buffer').resolveObjectURL` (Node >= 16.7) reads back a blob: URL. */
  hasResolveObjectURL: boolean;
}

/** Why the threaded wasm build cannot run here (one line), or null when it can. */
export function wasmThreadsBlocker(rt: WasmThreadsRuntime): string | null {
  if (!rt.tfjsWasmVersion?.startsWith('4.22.')) {
    return `threads under Node.js are set up for tfjs-backend-wasm 4.22 only, found ${rt.tfjsWasmVersion ?? 'an unknown version'}`;
  }
  if (!rt.hasSharedArrayBuffer) return 'this Node.js has no SharedArrayBuffer';
  if (!rt.hasWorkerThreads) return 'this Node.js has no worker_threads';
  if (!rt.hasResolveObjectURL) return 'this Node.js has no buffer.resolveObjectURL (needs Node.js >= 16.7)';
  return null;
}

/** The runtime of this process. */
export function currentWasmThreadsRuntime(tfjsWasmVersion: string | null): WasmThreadsRuntime {
  return {
    tfjsWasmVersion,
    hasSharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    hasWorkerThreads: workerThreads() !== null,
    hasResolveObjectURL: typeof (require('buffer') as { resolveObjectURL?: unknown }).resolveObjectURL === 'function',
  };
}

/**
 * Makes the next initialisation of tfjs-backend-wasm use its threaded build with `threads`
 * threads (capped at {@link WASM_MAX_THREADS}). Call after the package is loaded and before
 * `tf.setBackend('wasm')`, only when {@link wasmThreadsBlocker} returned null.
 */
export function enableWasmThreads(threads: number): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  installWorkerGlobal();
  reportCoresOnce(Math.min(threads, WASM_MAX_THREADS));
}

/**
 * Makes the threaded build fail like the single-threaded one when its heap is full. The
 * single-threaded build aborts ("Aborted()") when malloc cannot grow the 4 GB heap; the
 * threaded build's malloc returns 0 instead, and tfjs then writes the tensor at address 0,
 * over the runtime's own data, after which a training step spins forever. Checking the
 * backend's allocations (every tensor's buffer goes through `_malloc` from JS) turns that
 * into the same "Aborted(...)" error the trainer already explains.
 */
export function guardThreadedHeap(backend: unknown): void {
  type Malloc = (bytes: number) => number;
  const wasm = (backend as { wasm?: { _malloc?: Malloc; asm?: { malloc?: Malloc }; PThread?: unknown } } | undefined)?.wasm;
  // emscripten's `_malloc` is a stub that replaces itself with the export on first call, so wrap the export.
  const malloc = wasm?.asm?.malloc;
  if (!wasm?.PThread || !malloc || (wasm._malloc as { guarded?: boolean }).guarded) return;
  const guarded = (bytes: number): number => {
    const address = malloc(bytes);
    if (address === 0 && bytes > 0) throw new Error(`Aborted(OOM: the threaded wasm heap cannot hold ${bytes} more bytes)`);
    return address;
  };
  wasm._malloc = Object.assign(guarded, { guarded: true });
}

/** Keeps tfjs-backend-wasm on its single-threaded build (the default under Node.js). */
export function disableWasmThreads(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}

function workerThreads(): typeof import('worker_threads') | null {
  try {
    return require('worker_threads') as typeof import('worker_threads');
  } catch {
    return null;
  }
}

interface ReadableBlob { text(): Promise<string> }
const isBlob = (v: unknown): v is ReadableBlob => typeof v === 'object' && v !== null && typeof (v as ReadableBlob).text === 'function';

let BlobUrlWorker: (new (url: string | URL, options?: WorkerOptions) => NodeWorker) | null = null;

function blobUrlWorkerClass(): new (url: string | URL, options?: WorkerOptions) => NodeWorker {
  const { resolveObjectURL } = require('buffer') as { resolveObjectURL(url: string): ReadableBlob | undefined };
  return class extends workerThreads()!.Worker {
    /** Messages held back until the scripts are sent; null once they are (or for a plain worker). */
    private held: Array<[Record<string, unknown>, readonly TransferListItem[] | undefined]> | null = null;
    private workerScript: Promise<string> | null = null;

    constructor(url: string | URL, options?: WorkerOptions) {
      const blob = typeof url === 'string' && url.startsWith('blob:') ? resolveObjectURL(url) : undefined;
      super(blob ? BOOTSTRAP : url, blob ? { ...options, eval: true } : options);
      if (!blob) return;
      this.held = [];
      this.workerScript = blob.text();
      this.unref();
    }

    override ref(): void {
      if (this.workerScript === null) super.ref(); // emscripten's pthread workers stay unref'd
    }

    override postMessage(value: Record<string, unknown>, transferList?: readonly TransferListItem[]): void {
      if (this.held === null) return super.postMessage(value, transferList);
      this.held.push([value, transferList]);
      if (this.held.length === 1) void this.sendScriptsThenHeld(value);
    }

    /** emscripten's first message is `load`, carrying the main script Blob. */
    private async sendScriptsThenHeld(first: Record<string, unknown>): Promise<void> {
      try {
        const [worker, main] = await Promise.all([this.workerScript!, isBlob(first.urlOrBlob) ? first.urlOrBlob.text() : null]);
        super.postMessage({ contrastiveScripts: { worker, main } });
        for (const [value, transferList] of this.held!) {
          super.postMessage(isBlob(value.urlOrBlob) ? { ...value, urlOrBlob: MAIN_SCRIPT } : value, transferList);
        }
        this.held = null;
      } catch (err) {
        this.emit('error', err);
      }
    }
  };
}

/** emscripten assigns worker_threads.Worker to the global `Worker` before each use; the setter ignores that. */
function installWorkerGlobal(): void {
  BlobUrlWorker ??= blobUrlWorkerClass();
  const worker = BlobUrlWorker;
  Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => worker, set: () => undefined });
}

/** Threads the next threaded-build instantiation reports as cores; null when no wrapper waits. */
let pendingThreads: number | null = null;

function reportCoresOnce(threads: number): void {
  const installed = pendingThreads !== null;
  pendingThreads = threads; // a later probe before the backend starts only updates the count
  if (installed) return;
  type Instantiate = (...args: unknown[]) => unknown;
  const wasm = (globalThis as unknown as { WebAssembly: { instantiate: Instantiate } }).WebAssembly; // no DOM lib here
  const original = wasm.instantiate;
  wasm.instantiate = function (this: unknown, ...args: unknown[]) {
    const env = (args[1] as { env?: Record<string, unknown> } | undefined)?.env;
    if (env && typeof env.emscripten_num_logical_cores === 'function' && pendingThreads !== null) {
      wasm.instantiate = original;
      const cores = 2 * pendingThreads; // the C side halves it
      env.emscripten_num_logical_cores = () => cores;
      pendingThreads = null;
    }
    return original.apply(this, args);
  };
}
