import * as tf from '@tensorflow/tfjs';
import { UserInputError, type Batch, type Encoder, type Method } from '@contrastive/framework';

/** The name of the encoder's representation vector `global` [B, embeddingDim]. */
export const GLOBAL_REPRESENTATION = 'global';

/**
 * What a method may implement, besides the `Method` contract, to offer representations
 * that are not its encoder's, e.g. the context vectors c_t of CPC's autoregressive network.
 * Evaluation finds these members by their shape (a plugin need not import this type);
 * their names join `global` and the encoder's feature maps as values of `representation`.
 *
 * @example
 * ```ts
 * class CpcMethod implements Method, ProvidesRepresentations {
 *   readonly representationNames = ['context'];
 *   represent(x: Images, name: string): tf.Tensor2D { return this.contextOf(x); } // [B, D]
 * }
 * ```
 */
export interface ProvidesRepresentations {
  /** Names this method adds (must not repeat `global` or an encoder feature map). */
  readonly representationNames: readonly string[];
  /**
   * Computes one representation in evaluation mode.
   * @param x [B, H, W, C] images in [0, 1], or [B, T, D] sequences for a sequence method
   * @returns [B, D]; the caller disposes it
   */
  represent(x: Batch, name: string): tf.Tensor2D;
}

/** True when `method` implements {@link ProvidesRepresentations}. */
export function providesRepresentations(method: unknown): method is ProvidesRepresentations {
  const m = method as Partial<ProvidesRepresentations> | null | undefined;
  return !!m && Array.isArray(m.representationNames) && typeof m.represent === 'function';
}

/** Every representation name a run's model offers: `global`, the encoder's feature maps, then the method's own. */
export function representationNames(encoder: Encoder, method?: Method | null): string[] {
  return [GLOBAL_REPRESENTATION, ...encoder.featureNames, ...(providesRepresentations(method) ? method.representationNames : [])];
}

/**
 * The function that maps a batch of images [B, H, W, C] (or sequences [B, T, D]) to the named representation [B, D],
 * in evaluation mode (batch-norm uses its running statistics):
 * - `global`: the encoder's representation vector;
 * - an encoder feature map (e.g. `conv1`): its [B, h, w, c] map, global-average pooled to [B, c];
 * - a name the method provides ({@link ProvidesRepresentations}).
 *
 * @throws UserInputError naming the known representations when `name` is none of them
 */
export function representationFunction(name: string, encoder: Encoder, method?: Method | null, where = 'representation'):
  (x: Batch) => tf.Tensor2D {
  if (name === GLOBAL_REPRESENTATION) return (x) => encoder.encode(x, { training: false }).global;
  if (encoder.featureNames.includes(name)) {
    return (x) => tf.tidy(() => tf.mean(encoder.encode(x, { training: false, features: [name] }).features[name], [1, 2]) as tf.Tensor2D);
  }
  if (providesRepresentations(method) && method.representationNames.includes(name)) {
    return (x) => method.represent(x, name);
  }
  const owner = method ? `the ${method.name} method and its encoder` : 'the encoder';
  throw new UserInputError(
    `${where}: "${name}" is not a representation of ${owner}; known representations: ${representationNames(encoder, method).join(', ')}`,
  );
}
