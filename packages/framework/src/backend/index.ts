export * from './backend-candidates';
export * from './select-backend';
export { tensorflowVersion } from './backend-threads';
export { explainBackendError } from './backend-errors';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasm-kernels';
