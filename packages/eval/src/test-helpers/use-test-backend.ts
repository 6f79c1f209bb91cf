import { selectBackend, type BackendChoice } from '@contrastive/framework';

/** Activates CONTRASTIVE_TEST_BACKEND (default auto: native TensorFlow once set up). */
export async function useTestBackend(): Promise<string> {
  return (await selectBackend((process.env.CONTRASTIVE_TEST_BACKEND ?? 'auto') as BackendChoice)).chosen;
}
