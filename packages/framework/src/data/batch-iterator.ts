import * as tf from '@tensorflow/tfjs';
import { datasetValues, exampleSize, type Batch, type Dataset, type Rng } from '../contracts';
import { batchTensor } from './dataset-slice';
import { UserInputError } from '../registry/errors';
import { SeededRng } from '../util/rng';

/** Where a BatchIterator stands; JSON-serialisable, for checkpoints. */
export interface BatchIteratorState {
  /** 0-based index of the current epoch (the epoch of the batch last returned). */
  epoch: number;
  /** Batches already taken from the current epoch. */
  position: number;
  /** Seed of the current epoch's permutation. */
  seed: number;
}

/** A batch of images (or sequences) with the labels and dataset indices of its examples. */
export interface LabelledBatch {
  /** [batchSize, H, W, C], or [batchSize, T, D] for a sequence data set; the caller disposes it. */
  images: Batch;
  labels: Int32Array;
  indices: Int32Array;
}

/** Number of full batches in one epoch (the last incomplete batch is dropped). */
export function batchesPerEpoch(dataset: Dataset | number, batchSize: number): number {
  const count = typeof dataset === 'number' ? dataset : dataset.count;
  return Math.floor(count / batchSize);
}

/** Derives the next epoch's permutation seed from the current one (splitmix-style mixing). */
function nextSeed(seed: number): number {
  let z = (seed + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 1;
}

/**
 * Endless shuffled epochs over a Dataset (images or, since API 1.3.0, sequences). Each epoch is a Fisher-Yates permutation
 * drawn from a SeededRng seeded by the epoch's seed; the first seed is drawn once from the
 * `rng` given to the constructor and each later one is derived from its predecessor, so
 * `getState()` (epoch, position, seed) fully determines every following batch. The last
 * incomplete batch of an epoch is dropped.
 */
export class BatchIterator {
  private state: BatchIteratorState;
  private permutation: Uint32Array;
  private readonly exampleSize: number;

  constructor(readonly dataset: Dataset, readonly batchSize: number, rng: Rng) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new UserInputError(`batchSize must be a positive integer, got ${batchSize}`);
    if (batchesPerEpoch(dataset, batchSize) === 0) {
      throw new UserInputError(
        `batchSize ${batchSize} is larger than the ${dataset.count} examples of ${dataset.name}/${dataset.split}`,
      );
    }
    this.exampleSize = exampleSize(dataset);
    this.state = { epoch: 0, position: 0, seed: rng.seed() };
    this.permutation = this.shuffle(this.state.seed);
  }

  /** 0-based epoch of the batch last returned (0 before the first). */
  get epoch(): number {
    return this.state.epoch;
  }

  /** Full batches per epoch. */
  get batchesPerEpoch(): number {
    return batchesPerEpoch(this.dataset, this.batchSize);
  }

  /** The permutation of an epoch: Fisher-Yates driven by SeededRng(seed). */
  private shuffle(seed: number): Uint32Array {
    const rng = new SeededRng(seed);
    const p = new Uint32Array(this.dataset.count);
    for (let i = 0; i < p.length; i++) p[i] = i;
    for (let i = p.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private startNextEpochIfDone(): void {
    if (this.state.position < this.batchesPerEpoch) return;
    const seed = nextSeed(this.state.seed);
    this.state = { epoch: this.state.epoch + 1, position: 0, seed };
    this.permutation = this.shuffle(seed);
  }

  /** Dataset indices of the next batch; advances to a new epoch when the current one is used up. */
  private nextIndices(): Uint32Array {
    this.startNextEpochIfDone();
    const start = this.state.position * this.batchSize;
    this.state.position++;
    return this.permutation.subarray(start, start + this.batchSize);
  }

  /**
   * The next batch with its labels. Its pixels are gathered into one Float32Array allocated
   * for that batch (TensorFlow.js backends may keep a reference to the array, so it is never
   * reused) and wrapped by tf.tensor4d; the caller disposes the tensor.
   */
  nextBatch(): LabelledBatch {
    const indices = this.nextIndices();
    const { labels } = this.dataset;
    const images = datasetValues(this.dataset);
    const size = this.exampleSize;
    const data = new Float32Array(this.batchSize * size);
    const batchLabels = new Int32Array(this.batchSize);
    indices.forEach((src, i) => {
      data.set(images.subarray(src * size, (src + 1) * size), i * size);
      batchLabels[i] = labels[src];
    });
    return {
      images: batchTensor(this.dataset, data, this.batchSize),
      labels: batchLabels,
      indices: Int32Array.from(indices),
    };
  }

  /** The next batch, [batchSize, H, W, C] (or [batchSize, T, D]); the caller disposes it. */
  next(): Batch {
    return this.nextBatch().images;
  }

  /**
   * Yields the batches left in the current epoch, or all batches of the next epoch when the
   * current one is used up; each tensor is the caller's to dispose.
   */
  *epochBatches(): Generator<Batch> {
    this.startNextEpochIfDone();
    while (this.state.position < this.batchesPerEpoch) yield this.next();
  }

  /** A copy of the position, for a checkpoint. */
  getState(): BatchIteratorState {
    return { ...this.state };
  }

  /**
   * Restores a position from getState() (typically read back from a checkpoint, hence
   * `unknown`); the next batch is the one that followed it.
   * @throws Error when `state` is not a valid state for this data set and batch size.
   */
  setState(state: unknown): void {
    const s = (state ?? {}) as Partial<BatchIteratorState>;
    const values = [s.epoch, s.position, s.seed];
    const ok = values.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0);
    if (!ok || s.position! > this.batchesPerEpoch || s.seed! > 0x7fffffff) {
      throw new Error(`invalid BatchIterator state ${JSON.stringify(state)}`);
    }
    this.state = { epoch: s.epoch!, position: s.position!, seed: s.seed! };
    this.permutation = this.shuffle(this.state.seed);
  }
}
