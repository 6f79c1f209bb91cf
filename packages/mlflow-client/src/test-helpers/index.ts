export * from './mlflow-test-server';
export * from './flaky-backend';
