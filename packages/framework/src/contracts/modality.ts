import type * as tf from '@tensorflow/tfjs';
import type { ImageDataset, Split } from './data';
import type { Images } from './tensors';

/**
 * What kind of examples a data source yields and an encoder or method accepts:
 * - `image`: batches [B, H, W, C] (NHWC, float32 in [0, 1]);
 * - `sequence`: batches [B, T, D] (T steps of D values each, float32, any range).
 * A component that declares nothing is `image` (every component written before API 1.3.0).
 */
export type Modality = 'image' | 'sequence';

/** Every modality, in a stable order (for schemas and messages). */
export const MODALITIES: readonly Modality[] = ['image', 'sequence'];

/** The default modality of a component or data set that declares none. */
export const DEFAULT_MODALITY: Modality = 'image';

/** A batch of sequences: [B, T, D], float32. */
export type Sequences = tf.Tensor3D;

/** A training batch of either modality: images [B, H, W, C] or sequences [B, T, D]. */
export type Batch = Images | Sequences;

/**
 * An in-memory sequence data set: `count` sequences of `shape` = [steps, dims], stored
 * row-major ([count, T, D]) as float32 in `values`, with integer labels (-1 where unknown).
 * Every sequence of a data set has the same length (pad or crop variable-length series when
 * loading; see the `.ts` reader).
 */
export interface SequenceDataset {
  readonly name: string;
  readonly split: Split;
  readonly modality: 'sequence';
  /** [T, D]: steps per sequence, values per step. */
  readonly shape: readonly [number, number];
  readonly count: number;
  /** [count, T, D] row-major. */
  readonly values: Float32Array;
  readonly labels: Int32Array;
  /** Number of classes, or 0 when unlabelled. */
  readonly numClasses: number;
  /** Class names where known (index = label). */
  readonly classNames?: readonly string[];
}

/** A data set of either modality (what `DataSource.load` returns). */
export type Dataset = ImageDataset | SequenceDataset;

/** The modality of a data set (`image` unless it says otherwise). */
export function modalityOf(dataset: Dataset): Modality {
  return dataset.modality ?? DEFAULT_MODALITY;
}

/** True for a sequence data set. */
export function isSequenceDataset(dataset: Dataset): dataset is SequenceDataset {
  return dataset.modality === 'sequence';
}

/**
 * The flat float32 values of a data set: an image set's pixels, a sequence set's values
 * (both row-major, example after example).
 */
export function datasetValues(dataset: Dataset): Float32Array {
  return isSequenceDataset(dataset) ? dataset.values : dataset.images;
}

/** Numbers per example: H·W·C for images, T·D for sequences. */
export function exampleSize(dataset: Dataset): number {
  return dataset.shape.reduce((a, b) => a * b, 1);
}

/**
 * The shape components are built for (`BuildContext.inputShape`): [H, W, C] for images,
 * [T, D, 1] for sequences (the trailing 1 keeps the field's three-number form; the
 * context's `modality` says which it is).
 */
export function inputShapeOf(dataset: Dataset): readonly [number, number, number] {
  return isSequenceDataset(dataset) ? [dataset.shape[0], dataset.shape[1], 1] : dataset.shape;
}
