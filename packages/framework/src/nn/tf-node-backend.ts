import * as tf from '@tensorflow/tfjs';

/** An attribute of a TensorFlow op as tfjs-node's binding takes it. */
export interface TfNodeAttr {
  name: string;
  type: number;
  value: unknown;
}

/**
 * The parts of tfjs-node's backend the framework calls directly: the same calls its own
 * kernels make, for TensorFlow ops tfjs has no kernel for. Results of these calls record no
 * gradient: use them in gradient functions or in a custom gradient's forward pass.
 */
export interface TfNodeBackend {
  binding: Record<'TF_ATTR_TYPE' | 'TF_ATTR_INT' | 'TF_ATTR_FLOAT' | 'TF_ATTR_STRING' | 'TF_ATTR_BOOL' | 'TF_FLOAT', number>;
  executeSingleOutput(name: string, attrs: TfNodeAttr[], inputs: tf.TensorInfo[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: TfNodeAttr[], inputs: tf.TensorInfo[], numOutputs: number): tf.Tensor[];
}

/** `backend` as tfjs-node's backend when it has the calls and constants used here, else null. */
export function asTfNodeBackend(backend: object): TfNodeBackend | null {
  const node = backend as Partial<TfNodeBackend>;
  const ok = typeof node.executeSingleOutput === 'function' && typeof node.executeMultipleOutputs === 'function'
    && node.binding?.TF_ATTR_BOOL !== undefined && node.binding?.TF_ATTR_STRING !== undefined;
  return ok ? (node as TfNodeBackend) : null;
}

/** The active backend when it is tfjs-node's `tensorflow`, else null. */
export function activeTfNodeBackend(): TfNodeBackend | null {
  return tf.getBackend() === 'tensorflow' ? asTfNodeBackend(tf.backend()) : null;
}

/** The dtype attribute `T` = float32, which every op called here takes. */
export function float32Attr(backend: TfNodeBackend): TfNodeAttr {
  return { name: 'T', type: backend.binding.TF_ATTR_TYPE, value: backend.binding.TF_FLOAT };
}
