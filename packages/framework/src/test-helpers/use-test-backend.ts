import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendChoice } from '../backend';

/**
 * Activates the backend tests run on: CONTRASTIVE_TEST_BACKEND (auto | tensorflow | wasm |
 * cpu), default auto, which is the native backend once `npm run setup` has run.
 */
export async function useTestBackend(): Promise<string> {
  const choice = (process.env.CONTRASTIVE_TEST_BACKEND ?? 'auto') as BackendChoice;
  const report = await selectBackend(choice);
  return report.chosen;
}

/** Runs `fn` and returns how many tensors it left allocated (0 for a leak-free body). */
export function leakedTensors(fn: () => void): number {
  const before = tf.memory().numTensors;
  fn();
  return tf.memory().numTensors - before;
}
