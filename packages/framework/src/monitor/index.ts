export * from './labelled-features';
export * from './knn-classify';
export * from './knn-monitor';
