import type { Rng } from './rng';
import type { Dataset } from './modality';

/** Which part of a data set. */
export type Split = 'train' | 'test';

/**
 * An in-memory image data set: `count` images of `shape` = [height, width, channels],
 * stored row-major (NHWC) as float32 in [0, 1], with integer labels (-1 where unknown).
 */
export interface ImageDataset {
  readonly name: string;
  readonly split: Split;
  /** Absent or `image` (see {@link Dataset} for the sequence counterpart). */
  readonly modality?: 'image';
  readonly shape: readonly [number, number, number];
  readonly count: number;
  readonly images: Float32Array;
  readonly labels: Int32Array;
  /** Number of classes, or 0 when unlabelled. */
  readonly numClasses: number;
  /** Class names where known (index = label). */
  readonly classNames?: readonly string[];
}

/**
 * A source of data: images (fashion-mnist, mnist, synthetic, a user's folder) or, since
 * framework API 1.3.0, sequences (synthetic-sequence, image-rows, sequence files, `.ts`).
 * Which one a source yields is declared by its component definition's `modalities`.
 */
export interface DataSource {
  readonly name: string;
  /** Loads one split; must be deterministic for the same options. */
  load(split: Split): Promise<Dataset>;
}

/** Options every data source accepts (besides its own). */
export interface DataOptions {
  use: string;
  batchSize: number;
  [key: string]: unknown;
}

/** Context handed to data-source factories. */
export interface DataContext {
  rng: Rng;
  /** Directory against which relative paths in the config are resolved. */
  baseDir: string;
}
