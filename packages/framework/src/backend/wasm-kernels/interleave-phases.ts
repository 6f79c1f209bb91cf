import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, release, runWasmKernel, type TensorInfo } from './wasm-kernel-utils';

/**
 * Interleaves the sy*sx phases of a strided input gradient into one grid:
 * out[b, sy*qy + ry, sx*qx + rx, c] = parts[ry*sx + rx][b, qy, qx, c], every part
 * [B, Qy, Qx, C]. Two rounds of (stack the parts with one memmove each, then one backend
 * `Transpose` that moves runs of C values): [sx, B*Qy*Qx, C] -> [B*Qy*Qx, sx, C] per row
 * phase, then [sy, B*Qy, Qx*sx*C] -> [B*Qy, sy, Qx*sx*C]. Four sequential passes over the
 * data, where scattering runs of C values from JS cost ~3 ns per value (~10 ms for
 * convnet's 512x14x14x32 input gradient). The parts are released.
 */
export function interleavePhases(backend: BackendWasm, parts: TensorInfo[], [sy, sx]: [number, number]): TensorInfo {
  const [batch, qy, qx, c] = parts[0].shape;
  const rows: TensorInfo[] = [];
  for (let ry = 0; ry < sy; ry++) {
    const row = parts.slice(ry * sx, (ry + 1) * sx);
    rows.push(sx === 1 ? row[0] : stackAndSwap(backend, row, [batch * qy * qx, c]));
  }
  const grid = sy === 1 ? rows[0] : stackAndSwap(backend, rows, [batch * qy, qx * sx * c]);
  return { ...grid, shape: [batch, qy * sy, qx * sx, c] };
}

/** Stacks equal-sized `items` viewed as [outer, inner] and transposes to [outer, items, inner]; releases them. */
function stackAndSwap(backend: BackendWasm, items: TensorInfo[], [outer, inner]: [number, number]): TensorInfo {
  const size = outer * inner;
  const stacked = backend.makeOutput([items.length, outer, inner], 'float32');
  const dst = heapView(backend, stacked);
  const heap = new Float32Array(dst.buffer);
  items.forEach((item, i) => {
    const from = heapView(backend, item).byteOffset / 4;
    heap.copyWithin(dst.byteOffset / 4 + i * size, from, from + size);
  });
  release(backend, ...items);
  const swapped = runWasmKernel('Transpose', backend, { x: stacked }, { perm: [1, 0, 2] });
  release(backend, stacked);
  return swapped;
}

