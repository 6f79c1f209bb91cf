export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './register-wasm-kernels';
export { conv2dBackpropFilterWasm } from './conv2d-backprop-filter';
export { conv2dBackpropInputWasm } from './conv2d-backprop-input';
