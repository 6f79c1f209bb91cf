import type { DataSource, ImageDataset, SequenceDataset, Split } from '../../contracts';
import { isSequenceDataset } from '../../contracts';
import { defineComponent, type ComponentSpec } from '../../registry/component-definition';
import { UserInputError } from '../../registry/errors';
import { balancedSubsetIndices } from '../dataset-utils';
import { BATCH_SIZE_PROPERTY, LIMIT_PROPERTY } from '../schema-common';

/** Options of the `image-rows` data source. */
export interface ImageRowsOptions {
  batchSize: number;
  /** The image data source to read, e.g. `{ use: fashion-mnist }`. */
  images: ComponentSpec;
  /** Keep at most this many sequences per split, class-balanced. */
  limit?: number;
}

/**
 * An image [H, W, C] read top to bottom as a sequence of H steps of W·C values (row t is
 * step t): Fashion-MNIST becomes 28 steps of 28 values, a larger real sequence task.
 * The values are the image's pixels unchanged (row-major NHWC is already [T = H, D = W·C]),
 * so no copy is made unless `limit` selects a subset.
 */
export function imageRowsOf(images: ImageDataset, name: string, limit?: number): SequenceDataset {
  const [h, w, c] = images.shape;
  let { images: values, labels, count } = images;
  if (limit !== undefined && limit < count) {
    const keep = balancedSubsetIndices(labels, limit);
    const per = h * w * c;
    const picked = new Float32Array(keep.length * per);
    keep.forEach((src, i) => picked.set(values.subarray(src * per, (src + 1) * per), i * per));
    values = picked;
    labels = Int32Array.from(keep, (i) => labels[i]);
    count = keep.length;
  }
  return {
    name, split: images.split, modality: 'sequence', shape: [h, w * c], count, values, labels,
    numClasses: images.numClasses, classNames: images.classNames,
  };
}

/** Reads another (image) data source's splits as row sequences. */
export class ImageRowsSource implements DataSource {
  readonly name: string;

  constructor(private readonly inner: DataSource, private readonly limit?: number) {
    this.name = `${inner.name}-rows`;
  }

  async load(split: Split): Promise<SequenceDataset> {
    const data = await this.inner.load(split);
    if (isSequenceDataset(data)) {
      throw new UserInputError(`data.images: "${this.inner.name}" yields sequences already; image-rows reads an image data source`);
    }
    return imageRowsOf(data, this.name, this.limit);
  }
}

/** `data: { use: image-rows, images: { use: fashion-mnist } }`: images as sequences of rows. */
export const imageRowsData = defineComponent<'data', ImageRowsOptions>({
  kind: 'data',
  name: 'image-rows',
  description: 'Any image data source read as sequences: H steps of W*C values (Fashion-MNIST: 28 steps of 28).',
  modalities: ['sequence'],
  schema: {
    type: 'object',
    properties: {
      batchSize: BATCH_SIZE_PROPERTY,
      images: {
        type: 'object', properties: { use: { type: 'string' } }, required: ['use'],
        default: { use: 'fashion-mnist' },
        description: 'The image data source and its options, e.g. { use: fashion-mnist, limit: 10000 }.',
      },
      limit: LIMIT_PROPERTY,
    },
    additionalProperties: false,
  },
  create: (options, ctx) => {
    const inner = ctx.build('data', { batchSize: options.batchSize, ...options.images });
    return new ImageRowsSource(inner, options.limit);
  },
});
