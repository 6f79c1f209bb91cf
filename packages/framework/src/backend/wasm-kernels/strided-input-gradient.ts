import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { interleavePhases } from './interleave-phases';
import { heapView, release, runWasmKernel, type TensorInfo } from './wasm-kernel-utils';

/** Geometry of a strided convolution's input gradient. */
export interface StridedGeometry {
  /** Input height and width [H, W]. */
  size: [number, number];
  stride: [number, number];
  /** Forward padding before the first row and column. */
  pad: [number, number];
}

/** One residue class along one axis: input positions i = s*q + r - pad for q in [q0, q1]. */
interface Phase {
  r: number;
  /** Taps k = r, r + s, ... of the kernel along this axis. */
  taps: number;
  q0: number;
  q1: number;
  /** Explicit conv padding before / after dy along this axis. */
  before: number;
  after: number;
}

function phases(size: number, k: number, s: number, pad: number, outSize: number): Phase[] | null {
  const out: Phase[] = [];
  for (let r = 0; r < s; r++) {
    const taps = r < k ? Math.floor((k - 1 - r) / s) + 1 : 0;
    const q0 = Math.ceil((pad - r) / s);
    const q1 = Math.floor((size - 1 + pad - r) / s);
    const before = taps - 1 - q0;
    const after = q1 + 1 - outSize;
    if (taps > 0 && (before < 0 || after < 0)) return null; // unusual explicit padding
    out.push({ r, taps, q0, q1, before, after });
  }
  return out;
}

/**
 * The input gradient of a stride-s convolution as s*s stride-1 convolutions ("polyphase"):
 * input rows i with (i + pad) mod s = r receive dy only through the kernel taps r, r+s, ...,
 * so each residue class (ry, rx) is a small stride-1 convolution of dy with that sub-kernel,
 * rotated and with in/out swapped, and the results interleave into dx. The same arithmetic
 * as the forward pass, where zero-upsampling dy would multiply it by s*s.
 *
 * @param dy [B, OH, OW, Cout]; @param filter [kh, kw, Cin, Cout]
 * @returns dx [B, H, W, Cin], or null when the padding is too unusual for this path
 */
export function stridedInputGradient(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, g: StridedGeometry): TensorInfo | null {
  const [batch, oh, ow] = dy.shape;
  const [kh, kw, cin] = filter.shape;
  const rows = phases(g.size[0], kh, g.stride[0], g.pad[0], oh);
  const cols = phases(g.size[1], kw, g.stride[1], g.pad[1], ow);
  if (!rows || !cols) return null;
  const [height, width] = g.size;
  const grid = wholeGrid(rows, g.stride[0], height) && wholeGrid(cols, g.stride[1], width);
  if (grid) return gridInputGradient(backend, dy, filter, g, rows, cols);
  const dx = backend.makeOutput([batch, height, width, cin], 'float32');
  if (rows.some((p) => p.taps === 0) || cols.some((p) => p.taps === 0)) heapView(backend, dx).fill(0);
  for (const py of rows) {
    for (const px of cols) {
      if (py.taps === 0 || px.taps === 0 || py.q1 < py.q0 || px.q1 < px.q0) continue;
      const part = phaseConv(backend, dy, filter, py, px, g.stride);
      interleave(backend, part, dx, py.r + g.stride[0] * py.q0 - g.pad[0], px.r + g.stride[1] * px.q0 - g.pad[1], g.stride);
      release(backend, part);
    }
  }
  return dx;
}

/**
 * Whether every phase along an axis covers the same rows q = 0 .. Q-1 with s*Q = size (no
 * leading padding and a size divisible by the stride, e.g. 'same' padding of an even size):
 * then the phases are equal-sized and interleave with transposes ({@link interleavePhases}).
 * Widening the other phases to a common grid instead adds work: convnet's 7x7 layer (3 and
 * 4 rows per phase) took ~40% longer that way, so they keep the JS scatter.
 */
function wholeGrid(phases: Phase[], s: number, size: number): boolean {
  const q = size / s;
  return phases.every((p) => p.taps > 0 && p.q0 === 0 && p.q1 === q - 1);
}

/** dx from equal-sized phases that tile it exactly (see {@link wholeGrid}). */
function gridInputGradient(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, g: StridedGeometry, rows: Phase[], cols: Phase[]): TensorInfo {
  const parts = rows.flatMap((py) => cols.map((px) => phaseConv(backend, dy, filter, py, px, g.stride)));
  return interleavePhases(backend, parts, g.stride);
}

/** One phase: dy convolved (stride 1) with the phase's rotated sub-kernel -> [B, q1-q0+1 rows, ..., Cin]. */
function phaseConv(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, py: Phase, px: Phase, stride: [number, number]): TensorInfo {
  const sub = subKernel(backend, filter, py, px, stride);
  const part = runWasmKernel('Conv2D', backend, { x: dy, filter: sub }, {
    strides: [1, 1], pad: [[0, 0], [py.before, py.after], [px.before, px.after], [0, 0]], dilations: [1, 1], dataFormat: 'NHWC',
  });
  release(backend, sub);
  return part;
}

/** Taps (r + s*m) of the filter, rotated along each axis and transposed to [my, mx, Cout, Cin]. */
function subKernel(backend: BackendWasm, filter: TensorInfo, py: Phase, px: Phase, [sh, sw]: [number, number]): TensorInfo {
  const [, kw, cin, cout] = filter.shape;
  const out = backend.makeOutput([py.taps, px.taps, cout, cin], 'float32');
  const w = heapView(backend, filter);
  const d = heapView(backend, out);
  for (let my = 0; my < py.taps; my++) {
    for (let mx = 0; mx < px.taps; mx++) {
      const src = ((py.r + sh * (py.taps - 1 - my)) * kw + (px.r + sw * (px.taps - 1 - mx))) * cin * cout;
      const dst = (my * px.taps + mx) * cout * cin;
      for (let ci = 0; ci < cin; ci++) for (let co = 0; co < cout; co++) d[dst + co * cin + ci] = w[src + ci * cout + co];
    }
  }
  return out;
}

/** part [B, Qy, Qx, C] -> dx[b, y0 + sh*qy, x0 + sw*qx, :]. */
function interleave(backend: BackendWasm, part: TensorInfo, dx: TensorInfo, y0: number, x0: number, [sh, sw]: [number, number]): void {
  const [batch, qy, qx, c] = part.shape;
  const [, height, width] = dx.shape;
  const src = heapView(backend, part);
  const dst = heapView(backend, dx);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < qy; i++) {
      const rowBase = (b * height + y0 + sh * i) * width;
      const from = ((b * qy + i) * qx) * c;
      if (c === 1 && sw === 1) {
        dst.set(src.subarray(from, from + qx), rowBase + x0);
        continue;
      }
      for (let j = 0; j < qx; j++) {
        const s = from + j * c;
        dst.set(src.subarray(s, s + c), (rowBase + x0 + sw * j) * c);
      }
    }
  }
}
