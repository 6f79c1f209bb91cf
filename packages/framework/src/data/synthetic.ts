import type { DataSource, Rng, Split } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { SeededRng } from '../util/rng';
import type { DescribedImageDataset } from './dataset-utils';
import { BATCH_SIZE_PROPERTY } from './schema-common';

/** Options of the `synthetic` data source. */
export interface SyntheticOptions {
  batchSize: number;
  seed: number;
  numClasses: number;
  height: number;
  width: number;
  channels: number;
  trainCount: number;
  testCount: number;
  noise: number;
}

interface Prototype {
  theta: number;
  freq: number;
  cy: number;
  cx: number;
  color: number[];
}

const SIGMA = 0.22;
const MAX_SHIFT = 0.08;

/**
 * One smooth pattern per class: an oriented sinusoidal grating (class-specific orientation
 * and frequency) under a Gaussian blob at a class-specific position, with a class-specific
 * colour when channels > 1. The seed rotates the whole arrangement.
 */
function makePrototypes(o: SyntheticOptions, rng: Rng): Prototype[] {
  const thetaOffset = rng.uniform(0, Math.PI);
  const posOffset = rng.uniform(0, 2 * Math.PI);
  return Array.from({ length: o.numClasses }, (_, k) => {
    const a = posOffset + (2 * Math.PI * k) / o.numClasses;
    return {
      theta: thetaOffset + (Math.PI * k) / o.numClasses,
      freq: 2 + (k % 3),
      cy: 0.2 * Math.sin(a),
      cx: 0.2 * Math.cos(a),
      color: Array.from({ length: o.channels }, (_, c) =>
        o.channels === 1 ? 1 : 0.55 + 0.45 * Math.cos(a + (2 * Math.PI * c) / o.channels)),
    };
  });
}

/** exp(-(t - centre)^2 / (2 SIGMA^2)), sin(k t + phase) and cos(k t + phase) along one axis. */
function axisTerms(n: number, shift: number, centre: number, k: number, phase: number) {
  const blob = new Float64Array(n);
  const sin = new Float64Array(n);
  const cos = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = (i + 0.5) / n - 0.5 - shift;
    blob[i] = Math.exp(-((t - centre) ** 2) / (2 * SIGMA * SIGMA));
    sin[i] = Math.sin(k * t + phase);
    cos[i] = Math.cos(k * t + phase);
  }
  return { blob, sin, cos };
}

/**
 * Draws `count` examples (labels cycle through the classes) from the prototypes. Blob and
 * grating are separable in x and y (sin(a + b) = sin a cos b + cos a sin b), so each example
 * costs O(h + w) transcendental calls plus one normal draw per pixel for the noise.
 */
function drawSplit(o: SyntheticOptions, protos: Prototype[], count: number, rng: Rng) {
  const { height: h, width: w, channels: ch } = o;
  const size = h * w * ch;
  const images = new Float32Array(count * size);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % o.numClasses;
    const p = protos[label];
    labels[n] = label;
    const dy = rng.uniform(-MAX_SHIFT, MAX_SHIFT);
    const dx = rng.uniform(-MAX_SHIFT, MAX_SHIFT);
    const amp = rng.uniform(0.6, 1);
    const phase = rng.uniform(-0.6, 0.6);
    const k = 2 * Math.PI * p.freq;
    const col = axisTerms(w, dx, p.cx, k * Math.cos(p.theta), phase);
    const row = axisTerms(h, dy, p.cy, k * Math.sin(p.theta), 0);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const grating = 0.5 + 0.5 * (col.sin[x] * row.cos[y] + col.cos[x] * row.sin[y]);
        const base = amp * col.blob[x] * row.blob[y] * grating;
        for (let c = 0; c < ch; c++) {
          const value = base * p.color[c] + (o.noise > 0 ? o.noise * rng.normal() : 0);
          images[n * size + (y * w + x) * ch + c] = value < 0 ? 0 : value > 1 ? 1 : value;
        }
      }
    }
  }
  return { images, labels };
}

/**
 * Synthetic images with known class structure, generated deterministically from `seed`:
 * each class is a smooth prototype (see makePrototypes) and each example adds a random
 * shift, amplitude and grating phase plus Gaussian noise of std `noise`, clipped to [0, 1].
 * Train and test come from the same distribution with different derived seeds.
 */
export class SyntheticDataSource implements DataSource {
  readonly name = 'synthetic';

  constructor(private readonly options: SyntheticOptions) {}

  async load(split: Split): Promise<DescribedImageDataset> {
    const o = this.options;
    const root = new SeededRng(o.seed);
    const protos = makePrototypes(o, root.fork());
    const trainRng = root.fork();
    const testRng = root.fork();
    const count = split === 'train' ? o.trainCount : o.testCount;
    const { images, labels } = drawSplit(o, protos, count, split === 'train' ? trainRng : testRng);
    return {
      name: this.name,
      split,
      shape: [o.height, o.width, o.channels],
      count,
      images,
      labels,
      numClasses: o.numClasses,
      classNames: protos.map((_, k) => `class-${k}`),
      splitRule: `generated: ${o.trainCount} train / ${o.testCount} test from seed ${o.seed}`,
    };
  }
}

const int = (minimum: number, def: number, maximum?: number) => ({
  type: 'integer', minimum, default: def, ...(maximum !== undefined ? { maximum } : {}),
});

/** `data: { use: synthetic }` — fast deterministic images with known classes, for tests and demos. */
export const syntheticData = defineComponent<'data', SyntheticOptions>({
  kind: 'data',
  name: 'synthetic',
  description: 'Deterministic synthetic images: per-class oriented gratings under class-positioned blobs, plus noise.',
  schema: {
    type: 'object',
    properties: {
      batchSize: BATCH_SIZE_PROPERTY,
      seed: int(0, 0),
      numClasses: int(2, 10, 1000),
      height: int(4, 28, 1024),
      width: int(4, 28, 1024),
      channels: { type: 'integer', enum: [1, 3], default: 1 },
      trainCount: int(1, 2000),
      testCount: int(1, 500),
      noise: { type: 'number', minimum: 0, maximum: 1, default: 0.1 },
    },
    additionalProperties: false,
  },
  create: (options) => new SyntheticDataSource(options),
});
