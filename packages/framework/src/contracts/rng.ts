/**
 * A seeded, serialisable pseudo-random generator. Every source of randomness in a run
 * (shuffling, augmentation parameters, weight initialisation seeds) draws from one of
 * these, so a run is reproducible from its seed and resumable from a checkpoint.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal sample. */
  normal(): number;
  /** A 31-bit integer seed for a TensorFlow.js random op or initializer. */
  seed(): number;
  /** A new independent generator derived from this one (advances this one). */
  fork(): Rng;
  /** The internal state, to store in a checkpoint. */
  getState(): number[];
  /** Restores a state returned by getState(). */
  setState(state: number[]): void;
}
