export * from './use-test-backend';
export * from './knn';
export * from './expect-close';
