export * from './use-test-backend';
