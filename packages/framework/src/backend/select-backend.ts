import * as tf from '@tensorflow/tfjs';
import { UserInputError } from '../registry/errors';
import {
  BACKEND_CANDIDATES, type BackendCandidate, type BackendChoice, type BackendName, type BackendProvider,
  loadCandidate, type ModuleLoader, nativeSetupRecord, packageVersion,
} from './backend-candidates';
import { configureThreads, tensorflowVersion, threadsInUse, wasmThreadsNote } from './backend-threads';
import { registerNativeKernelShortcuts } from './native-kernels';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { guardThreadedHeap } from './wasm-node-threads';

/** Whether one provider was usable, and why (not). */
export interface BackendProbe {
  provider: BackendProvider;
  backend: BackendName;
  packageName: string | null;
  /** Installed package version (null for cpu or when not installed). */
  version: string | null;
  status: 'chosen' | 'usable' | 'unavailable' | 'not-installed' | 'not-probed';
  reason: string;
}

/** The outcome of {@link selectBackend}. */
export interface BackendReport {
  /** The active backend. */
  chosen: BackendName;
  provider: BackendProvider;
  /** TensorFlow C library version behind `tensorflow`, else null. */
  tensorflowVersion: string | null;
  /** Threads the chosen backend computes with. */
  threads: number;
  /** One entry per provider, in preference order. */
  probes: BackendProbe[];
}

export interface SelectBackendOptions {
  /** Receives the one-line notice printed when `auto` falls back from native TensorFlow. */
  notice?: (line: string) => void;
  /** Also probe every provider after the chosen one (for `contrastive doctor`); the chosen one stays active. */
  probeAll?: boolean;
  /** How packages are loaded (default `require`); tests simulate broken installs with it. */
  load?: ModuleLoader;
}

/** Which provider registered the engine's `tensorflow` backend in this process (only one can). */
let tensorflowProvider: BackendProvider | null = null;

async function probe(c: BackendCandidate, load: ModuleLoader): Promise<{ probe: BackendProbe; module: unknown }> {
  const base = { provider: c.provider, backend: c.backend, packageName: c.packageName, version: c.packageName && packageVersion(c.packageName) };
  if (c.backend === 'tensorflow' && tensorflowProvider !== null && tensorflowProvider !== c.provider) {
    return { probe: { ...base, status: 'not-probed', reason: `the tensorflow backend is already provided by ${tensorflowProvider}` }, module: null };
  }
  if (c.backend === 'tensorflow') configureThreads(c, null);
  const loaded = loadCandidate(c, load);
  if (!loaded.ok) return { probe: { ...base, status: loaded.installed ? 'unavailable' : 'not-installed', reason: loaded.reason }, module: null };
  if (c.backend === 'tensorflow') {
    tensorflowProvider = c.provider;
    registerNativeKernelShortcuts();
  }
  if (c.backend === 'wasm') {
    registerWasmTrainingKernels();
    configureThreads(c, loaded.module);
  }
  if (!tf.findBackendFactory(c.backend)) {
    return { probe: { ...base, status: 'unavailable', reason: `loading ${c.packageName} registered no '${c.backend}' backend` }, module: null };
  }
  if (!(await tf.setBackend(c.backend))) {
    return { probe: { ...base, status: 'unavailable', reason: `the '${c.backend}' backend failed to initialise` }, module: null };
  }
  if (c.backend === 'wasm') guardThreadedHeap(tf.findBackend('wasm'));
  return { probe: { ...base, status: 'usable', reason: describe(c, loaded.module) }, module: loaded.module };
}

function describe(c: BackendCandidate, module: unknown): string {
  if (c.provider === 'cpu') return 'pure JavaScript, always available (slowest)';
  if (c.backend === 'wasm') {
    const threads = threadsInUse(c, module);
    const note = wasmThreadsNote();
    if (threads > 1) return `WebAssembly (XNNPACK, SIMD, threads), ${threads} threads on worker_threads`;
    return `WebAssembly (XNNPACK, SIMD), 1 thread${note ? ` (single-threaded build: ${note})` : ''}`;
  }
  const setup = c.packageName ? nativeSetupRecord(c.packageName) : null;
  const from = setup?.tensorflowWheel ? `, built by tools/setup-native from ${String(setup.tensorflowWheel)}` : '';
  return `native TensorFlow ${tensorflowVersion() ?? ''}${from}`.replace(/ ,/, ',');
}

/**
 * Activates a backend. `auto` takes the first usable provider in BACKEND_CANDIDATES
 * (tfjs-node-gpu, tfjs-node, wasm, cpu) and sends a one-line notice when it had to fall
 * back from native TensorFlow; `tensorflow` accepts either tfjs-node build; an explicit
 * choice that is unusable is a {@link UserInputError} that says why.
 */
export async function selectBackend(choice: BackendChoice, options: SelectBackendOptions = {}): Promise<BackendReport> {
  const load = options.load ?? ((name: string) => require(name));
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(choice)) {
    throw new UserInputError(`backend "${choice}" is not one of auto, tensorflow, wasm, cpu`);
  }
  const probes: BackendProbe[] = [];
  let chosen: { candidate: BackendCandidate; module: unknown } | null = null;
  for (const c of BACKEND_CANDIDATES) {
    const eligible = choice === 'auto' || choice === c.backend;
    if (chosen && !options.probeAll) {
      probes.push({ ...notProbed(c), reason: `${chosen.candidate.provider} is preferred` });
    } else if (!eligible && !options.probeAll) {
      probes.push({ ...notProbed(c), reason: `backend "${choice}" was asked for` });
    } else {
      const result = await probe(c, load);
      if (!chosen && eligible && result.probe.status === 'usable') {
        chosen = { candidate: c, module: result.module };
        result.probe.status = 'chosen';
      } else if (result.probe.status === 'usable') {
        const why = eligible ? `${chosen!.candidate.provider} is preferred` : `backend "${choice}" was asked for`;
        result.probe.reason = `${result.probe.reason}; not used: ${why}`;
      }
      probes.push(result.probe);
    }
  }
  if (!chosen) {
    const why = probes.filter((p) => p.status !== 'not-probed').map((p) => `${p.provider}: ${p.reason}`);
    throw new UserInputError(`backend "${choice}" is not available`, why);
  }
  if (!(await tf.setBackend(chosen.candidate.backend))) throw new Error(`could not re-activate ${chosen.candidate.backend}`);
  await tf.ready();
  const report: BackendReport = {
    chosen: chosen.candidate.backend,
    provider: chosen.candidate.provider,
    tensorflowVersion: tensorflowVersion(),
    threads: threadsInUse(chosen.candidate, chosen.module),
    probes,
  };
  if (choice === 'auto' && report.chosen !== 'tensorflow') options.notice?.(fallbackNotice(report));
  return report;
}

function notProbed(c: BackendCandidate): BackendProbe {
  return { provider: c.provider, backend: c.backend, packageName: c.packageName, version: c.packageName && packageVersion(c.packageName), status: 'not-probed', reason: '' };
}

/** One line: why native TensorFlow is not used (the installed provider's reason when there is one). */
function fallbackNotice(report: BackendReport): string {
  const native = report.probes.filter((p) => p.backend === 'tensorflow');
  const why = (native.find((p) => p.status === 'unavailable') ?? native[native.length - 1]).reason;
  const short = why.length > 240 ? `${why.slice(0, 237)}...` : why;
  return `note: native TensorFlow backend unavailable (${short}); training on ${report.provider} (slower)`;
}
