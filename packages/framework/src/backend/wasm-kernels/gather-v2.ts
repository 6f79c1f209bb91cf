import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { originalSetup, runOriginalKernel } from './original-kernels';
import type { TensorInfo } from './wasm-kernel-utils';

/**
 * `GatherV2` for the wasm backend. tfjs-backend-wasm 4.22 returns wrong rows when
 * `batchDims > 0` (e.g. `tf.gather(x [2, 4, ...], idx [2, 4], 1, 1)` repeats rows of the
 * wrong example; the `translate` augmentation uses exactly that), so this kernel gathers
 * with batch dimensions itself, in JS over the wasm heap, and hands batchDims = 0 to the
 * backend's own kernel (correct and native there).
 *
 * With x viewed as [batch, outer, dim, slice] and indices as [batch, n] (tfjs's
 * `collectGatherOpShapeInfo`): out[b, o, i, :] = x[b, o, indices[b, i], :].
 */
export function gatherV2Wasm(args: {
  inputs: { x: TensorInfo; indices: TensorInfo };
  backend: BackendWasm;
  attrs: { axis: number; batchDims: number };
}): TensorInfo {
  const { inputs: { x, indices }, backend, attrs } = args;
  if (!attrs.batchDims) return runOriginalKernel(tf.GatherV2, args);
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
    { shape: x.shape } as tf.TensorInfo as tf.Tensor, { shape: indices.shape } as tf.TensorInfo as tf.Tensor, axis, attrs.batchDims);
  const { batchSize, outerSize, dimSize, sliceSize } = info;
  const perBatch = tf.util.sizeFromShape(indices.shape) / batchSize;
  const out = backend.makeOutput(info.outputShape, x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const idx = backend.typedArrayFromHeap(indices);
  const dst = backend.typedArrayFromHeap(out);
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < perBatch; i++) {
      const k = idx[b * perBatch + i];
      if (!(k >= 0 && k < dimSize)) throw new Error(`GatherV2: the index value ${k} is not in [0, ${dimSize - 1}]`);
    }
    for (let o = 0; o < outerSize; o++) {
      const from = (b * outerSize + o) * dimSize;
      const to = (b * outerSize + o) * perBatch;
      for (let i = 0; i < perBatch; i++) {
        const s = (from + idx[b * perBatch + i]) * sliceSize;
        dst.set(src.subarray(s, s + sliceSize), (to + i) * sliceSize);
      }
    }
  }
  return out;
}

/**
 * Kernel registration of {@link gatherV2Wasm}. Its setup runs the replaced kernel's setup
 * (which binds the native function) when the backend starts.
 */
export const gatherV2WasmConfig: tf.KernelConfig = {
  kernelName: tf.GatherV2,
  backendName: 'wasm',
  kernelFunc: gatherV2Wasm as unknown as tf.KernelFunc,
  setupFunc: originalSetup(tf.GatherV2),
};
