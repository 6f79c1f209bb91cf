import * as tf from '@tensorflow/tfjs';
import { datasetValues, exampleSize, type Dataset, type Encoder } from '../contracts';
import { batchTensor } from '../data/dataset-slice';
import { UserInputError } from '../registry/errors';
import { knnClassify } from './knn-classify';

/** Options of `train.knnMonitor` (online kNN accuracy while training). */
export interface KnnMonitorOptions {
  /** Measure every N steps (and after the last step). */
  every: number;
  /** Labelled train examples the kNN looks up (class-balanced, fixed for the run). */
  trainExamples: number;
  /** Test examples classified each time (class-balanced, fixed for the run). */
  testExamples: number;
  /** Neighbours that vote. */
  k: number;
  /** τ of the vote weights exp(s/τ). */
  temperature: number;
}

/** Defaults of {@link KnnMonitorOptions} besides `every`, the same as the schema's. */
export const KNN_MONITOR_DEFAULTS = { trainExamples: 5000, testExamples: 1000, k: 20, temperature: 0.07 };

/**
 * The first `count` examples of a split taken round-robin over classes in index order
 * (class-balanced, deterministic, no randomness to save in checkpoints), as indices.
 */
export function balancedIndices(labels: Int32Array, numClasses: number, count: number): number[] {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((label, i) => byClass[label]?.push(i));
  const picked: number[] = [];
  for (let round = 0; picked.length < count; round++) {
    let added = false;
    for (const members of byClass) {
      if (round < members.length && picked.length < count) {
        picked.push(members[round]);
        added = true;
      }
    }
    if (!added) break;
  }
  return picked.sort((a, b) => a - b);
}

/** Images (or sequences) and labels of the chosen examples of a data set, as one host copy. */
function subset(data: Dataset, indices: number[]): { images: Float32Array; labels: Int32Array; data: Dataset } {
  const per = exampleSize(data);
  const values = datasetValues(data);
  const images = new Float32Array(indices.length * per);
  indices.forEach((idx, row) => images.set(values.subarray(idx * per, (idx + 1) * per), row * per));
  return { images, labels: Int32Array.from(indices, (i) => data.labels[i]), data };
}

/**
 * Online monitoring as solo-learn users know it: every `every` steps, the weighted kNN
 * accuracy (the evaluation's classifier, cosine similarity, votes exp(s/τ)) of the current
 * representation — `encoder.encode(x, { training: false }).global`, the backbone before any
 * head — on a fixed class-balanced labelled subset: `testExamples` of the test split
 * against `trainExamples` of the train split. It reads the model only; training is not
 * changed (batch-norm runs in evaluation mode, nothing is updated).
 *
 * Cost: two forward passes over `trainExamples + testExamples` images and one
 * [test x train] similarity matrix per measurement (tools/bench/bench-knn-monitor.js).
 *
 * @example
 * ```yaml
 * train: { epochs: 10, knnMonitor: { every: 200 } }   # logs monitor.knn_top1 to MLflow
 * ```
 */
export class KnnMonitor {
  private readonly train: ReturnType<typeof subset>;
  private readonly test: ReturnType<typeof subset>;

  constructor(readonly options: KnnMonitorOptions, trainData: Dataset, testData: Dataset, private readonly batchSize = 512) {
    for (const [split, d] of [['train', trainData], ['test', testData]] as const) {
      if (d.numClasses < 2) {
        throw new UserInputError(`train.knnMonitor: needs labelled data, but the ${split} split of "${d.name}" has no class labels; remove train.knnMonitor`);
      }
    }
    this.train = subset(trainData, balancedIndices(trainData.labels, trainData.numClasses, options.trainExamples));
    this.test = subset(testData, balancedIndices(testData.labels, testData.numClasses, options.testExamples));
    this.numClasses = Math.max(trainData.numClasses, testData.numClasses);
  }

  private readonly numClasses: number;

  /** True when the monitor measures after `step` (0-based) of `totalSteps`. */
  due(step: number, totalSteps: number): boolean {
    return (step + 1) % this.options.every === 0 || step + 1 === totalSteps;
  }

  /** kNN top-1 accuracy in [0, 1] of the encoder's current representation. */
  measure(encoder: Encoder): number {
    const train = this.embed(encoder, this.train);
    const test = this.embed(encoder, this.test);
    try {
      const { k, temperature } = this.options;
      return knnClassify({ features: train, labels: this.train.labels }, { features: test, labels: this.test.labels },
        this.numClasses, { k, temperature }).top1;
    } finally {
      tf.dispose([train, test]);
    }
  }

  private embed(encoder: Encoder, data: ReturnType<typeof subset>): tf.Tensor2D {
    const per = exampleSize(data.data);
    const count = data.labels.length;
    const parts: tf.Tensor2D[] = [];
    for (let i = 0; i < count; i += this.batchSize) {
      const n = Math.min(this.batchSize, count - i);
      parts.push(tf.tidy(() => encoder.encode(batchTensor(data.data, data.images.subarray(i * per, (i + n) * per), n), { training: false }).global));
    }
    const all = tf.concat(parts, 0) as tf.Tensor2D;
    tf.dispose(parts);
    return all;
  }
}

/** JSON Schema of `train.knnMonitor`. */
export const KNN_MONITOR_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['every'],
  description: 'Online kNN accuracy of the representation on a fixed labelled subset, logged as monitor.knn_top1.',
  properties: {
    every: { type: 'integer', minimum: 1, description: 'Measure every N steps (and after the last).' },
    trainExamples: { type: 'integer', minimum: 10, maximum: 100000, default: KNN_MONITOR_DEFAULTS.trainExamples, description: 'Labelled train examples looked up (class-balanced).' },
    testExamples: { type: 'integer', minimum: 10, maximum: 100000, default: KNN_MONITOR_DEFAULTS.testExamples, description: 'Test examples classified (class-balanced).' },
    k: { type: 'integer', minimum: 1, maximum: 1000, default: KNN_MONITOR_DEFAULTS.k, description: 'Neighbours that vote.' },
    temperature: { type: 'number', exclusiveMinimum: 0, maximum: 10, default: KNN_MONITOR_DEFAULTS.temperature, description: 'τ of the vote weights exp(s/τ).' },
  },
} as const;
