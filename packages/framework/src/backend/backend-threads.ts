import * as tf from '@tensorflow/tfjs';
import { type BackendCandidate, coreCount, packageVersion, requestedThreads } from './backend-candidates';
import { currentWasmThreadsRuntime, disableWasmThreads, enableWasmThreads, WASM_MAX_THREADS, wasmThreadsBlocker } from './wasm-node-threads';

interface WasmModule {
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

/** Why the wasm backend of this process runs on one thread (null: it runs on more). */
let wasmSingleThreadReason: string | null = null;

/**
 * Applies CONTRASTIVE_THREADS before a backend is created (unset: every core).
 * - tfjs-node: TensorFlow reads TF_NUM_INTRAOP_THREADS (and TF_NUM_INTEROP_THREADS) when its
 *   runtime starts, so the variable is set here unless the user set it; TensorFlow's own
 *   default is already every core.
 * - wasm: more than one thread switches tfjs-backend-wasm to its threaded build, which it
 *   turns off under Node.js (see wasm-node-threads.ts), then `setThreadsCount` sizes
 *   XNNPACK's pool (at most 8). One thread, or a runtime that cannot start the threaded
 *   build, keeps the single-threaded build; {@link wasmThreadsNote} says why.
 */
export function configureThreads(candidate: BackendCandidate, module: unknown, env: NodeJS.ProcessEnv = process.env): void {
  const wanted = requestedThreads(env);
  if (candidate.backend === 'tensorflow' && wanted !== null && !env.TF_NUM_INTRAOP_THREADS) {
    env.TF_NUM_INTRAOP_THREADS = String(wanted);
  }
  if (candidate.backend !== 'wasm') return;
  const threads = Math.min(wanted ?? coreCount(), WASM_MAX_THREADS);
  wasmSingleThreadReason = threads === 1
    ? (wanted === 1 ? 'CONTRASTIVE_THREADS=1' : 'one core')
    : wasmThreadsBlocker(currentWasmThreadsRuntime(packageVersion('@tensorflow/tfjs-backend-wasm')));
  if (wasmSingleThreadReason === null) enableWasmThreads(threads);
  else disableWasmThreads();
  (module as WasmModule).setThreadsCount(wasmSingleThreadReason === null ? threads : 1);
}

/** Why the wasm backend runs on one thread (e.g. `CONTRASTIVE_THREADS=1`), or null when it runs on more. */
export function wasmThreadsNote(): string | null {
  return wasmSingleThreadReason;
}

/** Threads the active backend computes with (intra-op threads for TensorFlow). */
export function threadsInUse(candidate: BackendCandidate, module: unknown, env: NodeJS.ProcessEnv = process.env): number {
  if (candidate.backend === 'tensorflow') return Number(env.TF_NUM_INTRAOP_THREADS) || coreCount();
  if (candidate.backend === 'wasm') return (module as WasmModule).getThreadsCount();
  return 1;
}

/** TensorFlow's version behind the active `tensorflow` backend (from its C library), else null. */
export function tensorflowVersion(): string | null {
  if (tf.getBackend() !== 'tensorflow') return null;
  const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
  return binding?.TF_Version ?? null;
}
