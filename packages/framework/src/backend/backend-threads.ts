import * as tf from '@tensorflow/tfjs';
import { type BackendCandidate, coreCount, requestedThreads } from './backend-candidates';

interface WasmModule {
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

/**
 * Applies CONTRASTIVE_THREADS before a backend is created (unset: every core).
 * - tfjs-node: TensorFlow reads TF_NUM_INTRAOP_THREADS (and TF_NUM_INTEROP_THREADS) when its
 *   runtime starts, so the variable is set here unless the user set it; TensorFlow's own
 *   default is already every core.
 * - wasm: `setThreadsCount` (XNNPACK's thread pool). It only takes effect where the backend
 *   runs its multi-threaded build; tfjs-backend-wasm 4.22 turns that build off under Node.js,
 *   so there the backend runs on one thread whatever is asked.
 */
export function configureThreads(candidate: BackendCandidate, module: unknown, env: NodeJS.ProcessEnv = process.env): void {
  const wanted = requestedThreads(env);
  if (candidate.backend === 'tensorflow' && wanted !== null && !env.TF_NUM_INTRAOP_THREADS) {
    env.TF_NUM_INTRAOP_THREADS = String(wanted);
  }
  if (candidate.backend === 'wasm') (module as WasmModule).setThreadsCount(wanted ?? coreCount());
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
