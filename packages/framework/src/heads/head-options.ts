import { UserInputError } from '../registry/errors';

/**
 * JSON Schema of `inputDim`, which every head accepts. A method sets it to its encoder's
 * `embeddingDim` when it builds the head ({@link buildHead}); a config need not.
 */
export const INPUT_DIM_SCHEMA = {
  type: 'integer', minimum: 1, maximum: 65536,
  description: 'Size of the encoder representation the head reads; set by the method from the encoder.',
} as const;

/** The head's `inputDim`, or a clear error when a head was built without one. */
export function requireInputDim(options: { inputDim?: number }, head: string): number {
  if (options.inputDim === undefined) {
    throw new UserInputError(`head "${head}" was built without inputDim; build heads with buildHead(ctx, encoder.embeddingDim)`);
  }
  return options.inputDim;
}
