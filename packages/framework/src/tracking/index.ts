export * from './console-tracker';
export * from './mlflow-tracker';
export * from './create-tracker';
export * from './run-context';
export * from './no-tracking';
