export * from './use-test-backend';
export * from './knn';
