import * as tf from '@tensorflow/tfjs';

/**
 * The wasm backend's own kernels that a replacement in this folder delegates to for the
 * cases it leaves alone. `registerWasmTrainingKernels` captures each one just before
 * replacing it in tfjs's kernel registry.
 */
const originals = new Map<string, tf.KernelConfig>();

/** Keeps `kernel` (the backend's own, not a replacement) as the original of its name. */
export function captureOriginalKernel(kernel: tf.KernelConfig | undefined, replacement: tf.KernelConfig): void {
  if (kernel && kernel.kernelFunc !== replacement.kernelFunc) originals.set(kernel.kernelName, kernel);
}

/** Runs the captured original kernel `name` with `args`. */
export function runOriginalKernel<T>(name: string, args: T): tf.TensorInfo {
  const kernel = originals.get(name);
  if (!kernel) throw new Error(`wasm ${name}: the backend's own kernel was not captured before replacing it`);
  return kernel.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

/**
 * A setup function for a replacement kernel that runs the original's setup (which binds
 * the original's native function) when the backend starts.
 */
export function originalSetup(name: string): tf.KernelSetupFunc {
  return (backend) => originals.get(name)?.setupFunc?.(backend);
}
