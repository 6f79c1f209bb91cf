import * as tf from '@tensorflow/tfjs';
import { UserInputError } from '../registry/errors';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;

/** Preference order for `backend: auto`: native TensorFlow, then WebAssembly, then pure JS. */
export const BACKEND_PREFERENCE: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendReport {
  chosen: BackendName;
  /** Why each backend was or was not usable. */
  probes: Record<BackendName, { available: boolean; reason: string }>;
}

function tryLoad(name: BackendName): string | null {
  try {
    if (name === 'tensorflow') {
      // Registers the 'tensorflow' backend with the shared @tensorflow/tfjs-core.
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      require('@tensorflow/tfjs-node');
    } else if (name === 'wasm') {
      require('@tensorflow/tfjs-backend-wasm');
    }
    return tf.findBackendFactory(name) || name === 'cpu' ? null : `no '${name}' backend registered`;
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0];
    return name === 'tensorflow'
      ? `@tensorflow/tfjs-node does not load (${msg}); run \`npm run setup\``
      : `${name} backend not installed (${msg})`;
  }
}

/**
 * Activates a backend. `auto` takes the first usable one in BACKEND_PREFERENCE and prints a
 * one-line notice when it had to fall back; an explicit choice that is unusable is an error.
 */
export async function selectBackend(choice: BackendChoice, notice: (line: string) => void = () => {}): Promise<BackendReport> {
  const probes = {} as BackendReport['probes'];
  const order = choice === 'auto' ? BACKEND_PREFERENCE : [choice];
  let chosen: BackendName | null = null;
  for (const name of order) {
    const problem = tryLoad(name);
    if (problem === null && (await tf.setBackend(name))) {
      probes[name] = { available: true, reason: 'loaded' };
      chosen = name;
      break;
    }
    probes[name] = { available: false, reason: problem ?? `tf.setBackend('${name}') failed` };
  }
  if (!chosen) {
    const why = Object.entries(probes).map(([n, p]) => `${n}: ${p.reason}`);
    throw new UserInputError(`backend "${choice}" is not available`, why);
  }
  await tf.ready();
  if (choice === 'auto' && chosen !== BACKEND_PREFERENCE[0]) {
    notice(`note: native TensorFlow backend unavailable (${probes.tensorflow?.reason}); using ${chosen}`);
  }
  return { chosen, probes };
}
