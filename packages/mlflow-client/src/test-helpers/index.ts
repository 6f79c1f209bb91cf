export * from './mlflow-test-server';
