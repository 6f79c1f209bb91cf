import type * as tf from '@tensorflow/tfjs';

/** A batch of images, NHWC, float32 values in [0, 1]. */
export type Images = tf.Tensor4D;

/**
 * A batch of images on the host: the same NHWC float32 layout as {@link Images}, row-major
 * in `data` (length B*H*W*C).
 */
export interface HostImages {
  data: Float32Array;
  shape: [number, number, number, number];
}

/**
 * Anything that owns TensorFlow.js variables. Names are stable across runs so that a
 * checkpoint written by one process can be restored by another, and so that a momentum
 * copy of a module can be matched weight by weight.
 */
export interface HasVariables {
  /** Variables updated by the optimizer, in a stable order. */
  trainableVariables(): tf.Variable[];
  /**
   * Every variable that is part of the state (trainable, plus running statistics, queues,
   * momentum copies), keyed by a stable name such as `encoder/conv0/kernel`.
   */
  namedVariables(): Map<string, tf.Variable>;
  /** Frees every variable. */
  dispose(): void;
}
