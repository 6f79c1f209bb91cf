export * from './console-tracker';
