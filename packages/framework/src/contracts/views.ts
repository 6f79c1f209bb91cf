import type { Images } from './tensors';

/** [height, width, channels] of the images a view transform reads or produces. */
export type ViewShape = readonly [number, number, number];

/**
 * Turns a batch of input images into one *view* of them (API 1.4): the L or ab channels of
 * a colour image, a subset of channels, the gradient magnitude of a grey image, a region.
 * Views are what Contrastive Multiview Coding (Tian et al. 2019, arXiv:1906.05849) contrasts:
 * different sensory channels of the same scene. A transform is deterministic (randomness
 * belongs to the augmentations before it), so a view is well defined at evaluation time.
 *
 * Registered under kind `view`; a method names its views in its options, e.g.
 * `views: [{ name: L, transform: { use: lab-l } }, { name: ab, transform: { use: lab-ab } }]`.
 *
 * @example
 * ```ts
 * const red: ViewTransform = {
 *   outputShape: ([h, w]) => [h, w, 1],
 *   apply: (x) => tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 1]),
 * };
 * ```
 */
export interface ViewTransform {
  /**
   * The shape of the view for inputs of `input` = [H, W, C].
   * @throws Error (a message for the user) when the transform cannot apply to such inputs,
   *   e.g. `lab-l` on a one-channel image or a channel index beyond C
   */
  outputShape(input: ViewShape): ViewShape;
  /** [B, H, W, C] -> [B, h, w, c] = [B, ...outputShape([H, W, C])]; the caller disposes the result. */
  apply(x: Images): Images;
}
