// Defined in the framework beside knnClassify (used by the trainer's kNN monitor); re-exported here.
export type { LabelledFeatures } from '@contrastive/framework';
