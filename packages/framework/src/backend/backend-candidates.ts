import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UserInputError } from '../registry/errors';

/** A TensorFlow.js backend name as the engine knows it. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
/** The config's `backend:` setting. */
export type BackendChoice = 'auto' | BackendName;
/** What provides a backend: the GPU or CPU build of tfjs-node (both register `tensorflow`), wasm, or pure JS. */
export type BackendProvider = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

/** One way of getting a backend. */
export interface BackendCandidate {
  provider: BackendProvider;
  backend: BackendName;
  /** npm package that registers the backend (null: built into @tensorflow/tfjs). */
  packageName: string | null;
}

/** Preference order of `backend: auto`: tfjs-node-gpu, tfjs-node, wasm, cpu (DESIGN.md). */
export const BACKEND_CANDIDATES: readonly BackendCandidate[] = [
  { provider: 'tfjs-node-gpu', backend: 'tensorflow', packageName: '@tensorflow/tfjs-node-gpu' },
  { provider: 'tfjs-node', backend: 'tensorflow', packageName: '@tensorflow/tfjs-node' },
  { provider: 'wasm', backend: 'wasm', packageName: '@tensorflow/tfjs-backend-wasm' },
  { provider: 'cpu', backend: 'cpu', packageName: null },
];

/** The providers in `backend: auto` order. */
export const BACKEND_PREFERENCE: readonly BackendProvider[] = BACKEND_CANDIDATES.map((c) => c.provider);

/** Loads a package by name (tests pass a loader that fails like a broken install). */
export type ModuleLoader = (packageName: string) => unknown;

/** What loading a candidate's package gave. */
export type LoadOutcome = { ok: true; module: unknown } | { ok: false; installed: boolean; reason: string };

/** Requires the candidate's package; a package that is absent is told apart from one that fails to load. */
export function loadCandidate(candidate: BackendCandidate, load: ModuleLoader): LoadOutcome {
  if (candidate.packageName === null) return { ok: true, module: null };
  try {
    return { ok: true, module: load(candidate.packageName) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const first = String(e.message).split('\n')[0];
    const installed = !(e.code === 'MODULE_NOT_FOUND' && first.includes(`'${candidate.packageName}'`));
    if (!installed) return { ok: false, installed, reason: `${candidate.packageName} is not installed` };
    const hint = candidate.backend === 'tensorflow' ? '; run `npm run setup` to build the native backend' : '';
    return { ok: false, installed, reason: `${candidate.packageName} does not load (${first})${hint}` };
  }
}

/** The installed version of a package, or null. */
export function packageVersion(packageName: string): string | null {
  try {
    const file = require.resolve(`${packageName}/package.json`);
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

/**
 * What tools/setup-native recorded when it built tfjs-node's binding from the PyPI wheel
 * (`deps/contrastive-setup.json`), or null for a stock install.
 */
export function nativeSetupRecord(packageName: string): Record<string, unknown> | null {
  try {
    const dir = path.dirname(require.resolve(`${packageName}/package.json`));
    return JSON.parse(fs.readFileSync(path.join(dir, 'deps', 'contrastive-setup.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * Threads requested by CONTRASTIVE_THREADS (a positive integer), else null: every core.
 * @throws UserInputError naming the variable when it is set to anything else
 */
export function requestedThreads(env: NodeJS.ProcessEnv = process.env): number | null {
  const raw = env.CONTRASTIVE_THREADS;
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UserInputError(`CONTRASTIVE_THREADS must be a positive integer, got "${raw}"`);
  return n;
}

/** Logical cores of this machine. */
export function coreCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
