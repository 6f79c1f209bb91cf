// The weighted kNN classifier lives in the framework since the trainer's online kNN monitor
// uses it too (one implementation for both); this package re-exports it unchanged.
export { knnClassify, type KnnOptions, type KnnResult } from '@contrastive/framework';
