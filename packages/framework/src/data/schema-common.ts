import type { JsonSchema } from '../registry/component-definition';

/**
 * The `batchSize` option every data source accepts: the number of examples per training
 * batch (the trainer reads it from the `data` block; the source itself ignores it).
 */
export const BATCH_SIZE_PROPERTY: JsonSchema = {
  type: 'integer',
  minimum: 1,
  default: 256,
  description: 'Examples per training batch.',
};

/**
 * The `limit` option of the packaged data sets: keep at most this many examples of each
 * split, chosen class-balanced (round-robin over classes), for fast runs.
 */
export const LIMIT_PROPERTY: JsonSchema = {
  type: 'integer',
  minimum: 1,
  description: 'Keep at most this many examples per split, class-balanced (round-robin over classes).',
};
