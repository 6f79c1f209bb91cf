export * from './variable-store';
