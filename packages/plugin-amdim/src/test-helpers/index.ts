/**
 * Helpers for this package's tests only (excluded from the build). The generic ones are the
 * framework's own test helpers, shared rather than copied.
 */
export { expectClose, leakedTensors, useTestBackend } from '../../../framework/src/test-helpers';
export * from './build-amdim';
