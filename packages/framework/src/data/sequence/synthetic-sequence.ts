import type { DataSource, Rng, SequenceDataset, Split } from '../../contracts';
import { defineComponent } from '../../registry/component-definition';
import { SeededRng } from '../../util/rng';
import { BATCH_SIZE_PROPERTY } from '../schema-common';

/** Options of the `synthetic-sequence` data source. */
export interface SyntheticSequenceOptions {
  batchSize: number;
  seed: number;
  /** Classes = distinct slow frequencies. */
  numClasses: number;
  /** T, steps per sequence. */
  steps: number;
  /** D, values per step. */
  dims: number;
  trainCount: number;
  testCount: number;
  /** Std of the white (fast) noise added to every value. */
  noise: number;
  /** Slowest and fastest angular frequency of the latent, radians per step. */
  minFrequency: number;
  maxFrequency: number;
}

/** The latent's angular frequency of class `k`: geometric steps from min to max. */
export function classFrequency(o: Pick<SyntheticSequenceOptions, 'numClasses' | 'minFrequency' | 'maxFrequency'>, k: number): number {
  if (o.numClasses === 1) return o.minFrequency;
  return o.minFrequency * (o.maxFrequency / o.minFrequency) ** (k / (o.numClasses - 1));
}

/** A fixed [D, 2] mixing matrix (unit-norm rows scaled so each channel has unit signal power). */
function mixingMatrix(dims: number, rng: Rng): Float64Array {
  const m = new Float64Array(dims * 2);
  for (let d = 0; d < dims; d++) {
    const angle = rng.uniform(0, 2 * Math.PI);
    m[2 * d] = Math.cos(angle) * Math.SQRT2;
    m[2 * d + 1] = Math.sin(angle) * Math.SQRT2;
  }
  return m;
}

/**
 * Sequences with a known slow latent under fast noise, generated deterministically from
 * `seed`. Sequence n has class y = n mod numClasses; its latent is a 2-D rotation
 * s_t = a [cos(w_y t + phi), sin(w_y t + phi)] with the class's angular frequency w_y,
 * a random phase phi ~ U(0, 2 pi) and amplitude a ~ U(0.8, 1.2); each step observes
 * x_t = M s_t + noise * eps_t with one fixed mixing matrix M [D, 2] and white Gaussian eps_t.
 *
 * The label (the latent's frequency) is what a slow-feature learner like CPC should find:
 * predicting x_{t+k} from x_{<=t} needs it. Because the phase is random, no linear function
 * of the raw sequence separates the classes (every class averages to zero), so the raw-input
 * linear probe stays near chance: the gap to a learned representation is the point.
 */
export class SyntheticSequenceSource implements DataSource {
  readonly name = 'synthetic-sequence';

  constructor(private readonly options: SyntheticSequenceOptions) {}

  async load(split: Split): Promise<SequenceDataset> {
    const o = this.options;
    const root = new SeededRng(o.seed);
    const mix = mixingMatrix(o.dims, root.fork());
    const trainRng = root.fork();
    const testRng = root.fork();
    const rng = split === 'train' ? trainRng : testRng;
    const count = split === 'train' ? o.trainCount : o.testCount;
    const { steps: T, dims: D } = o;
    const values = new Float32Array(count * T * D);
    const labels = new Int32Array(count);
    for (let n = 0; n < count; n++) {
      const y = n % o.numClasses;
      labels[n] = y;
      const w = classFrequency(o, y);
      const phase = rng.uniform(0, 2 * Math.PI);
      const amp = rng.uniform(0.8, 1.2);
      for (let t = 0; t < T; t++) {
        const s0 = amp * Math.cos(w * t + phase);
        const s1 = amp * Math.sin(w * t + phase);
        for (let d = 0; d < D; d++) {
          values[(n * T + t) * D + d] = mix[2 * d] * s0 + mix[2 * d + 1] * s1 + o.noise * rng.normal();
        }
      }
    }
    return {
      name: this.name, split, modality: 'sequence', shape: [T, D], count, values, labels,
      numClasses: o.numClasses,
      classNames: Array.from({ length: o.numClasses }, (_, k) => `w=${classFrequency(o, k).toFixed(3)}`),
    };
  }
}

const int = (minimum: number, def: number, maximum: number) => ({ type: 'integer', minimum, default: def, maximum });

/** `data: { use: synthetic-sequence }`: sequences [T, D] with a known slow latent, for tests and demos. */
export const syntheticSequenceData = defineComponent<'data', SyntheticSequenceOptions>({
  kind: 'data',
  name: 'synthetic-sequence',
  description: 'Deterministic sequences [T, D]: a slow rotating latent (class = its frequency, random phase) mixed into D channels, plus white noise.',
  modalities: ['sequence'],
  schema: {
    type: 'object',
    properties: {
      batchSize: BATCH_SIZE_PROPERTY,
      seed: { type: 'integer', minimum: 0, default: 0 },
      numClasses: int(1, 4, 1000),
      steps: int(2, 64, 100000),
      dims: int(1, 8, 4096),
      trainCount: int(1, 2000, 10000000),
      testCount: int(1, 500, 10000000),
      noise: { type: 'number', minimum: 0, maximum: 100, default: 1, description: 'Std of the white noise on every value.' },
      minFrequency: { type: 'number', exclusiveMinimum: 0, maximum: 3.15, default: 0.06, description: 'Slowest latent frequency, radians per step.' },
      maxFrequency: { type: 'number', exclusiveMinimum: 0, maximum: 3.15, default: 0.3, description: 'Fastest latent frequency, radians per step.' },
    },
    additionalProperties: false,
  },
  create: (options) => new SyntheticSequenceSource(options),
});
