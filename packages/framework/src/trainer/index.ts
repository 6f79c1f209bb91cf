export * from './checkpoint';
export * from './progress';
export * from './trainer';
export * from './build-context';
export * from './prepare-run';
export * from './run-training';
