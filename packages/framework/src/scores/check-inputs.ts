import type * as tf from '@tensorflow/tfjs';

/**
 * Throws a readable error unless `anchors` is [N, D] and `candidates` is [M, D] with the
 * same D. Shared by the built-in score functions; `name` names the score in the message.
 */
export function assertScoreInputs(anchors: tf.Tensor, candidates: tf.Tensor, name: string): void {
  if (anchors.rank !== 2 || candidates.rank !== 2) {
    throw new Error(
      `${name} score expects anchors [N, D] and candidates [M, D], got [${anchors.shape}] and [${candidates.shape}]`,
    );
  }
  if (anchors.shape[1] !== candidates.shape[1]) {
    throw new Error(
      `${name} score: anchors have dimension ${anchors.shape[1]} but candidates have ${candidates.shape[1]}`,
    );
  }
}
