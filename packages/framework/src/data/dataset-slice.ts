import * as tf from '@tensorflow/tfjs';
import { datasetValues, exampleSize, isSequenceDataset, type Batch, type Dataset } from '../contracts';

/**
 * Wraps row-major example values as one batch tensor of the data set's modality:
 * [n, H, W, C] for images, [n, T, D] for sequences. The caller disposes it.
 *
 * @param values n examples' values, n · (H·W·C or T·D) numbers
 * @example
 * const x = batchTensor(dataset, datasetValues(dataset).subarray(0, 8 * exampleSize(dataset)), 8);
 */
export function batchTensor(dataset: Dataset, values: Float32Array, n: number): Batch {
  return isSequenceDataset(dataset)
    ? tf.tensor3d(values, [n, dataset.shape[0], dataset.shape[1]], 'float32')
    : tf.tensor4d(values, [n, dataset.shape[0], dataset.shape[1], dataset.shape[2]], 'float32');
}

/** Examples `start .. start + n - 1` of a data set as one batch tensor (see {@link batchTensor}). */
export function datasetSlice(dataset: Dataset, start: number, n: number): Batch {
  const per = exampleSize(dataset);
  return batchTensor(dataset, datasetValues(dataset).subarray(start * per, (start + n) * per), n);
}
