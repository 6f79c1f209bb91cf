import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** A decoded image: 8-bit RGBA, row-major. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** How images are resized to the configured size. */
export type ResizeMethod = 'bilinear' | 'nearest';

/** File-name extensions treated as images (case-insensitive). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];

/**
 * Decodes PNG (pngjs) or JPEG (jpeg-js) bytes, recognised by their signature rather than
 * the file name. Throws an Error with the decoder's message when the bytes are not a valid
 * image; callers add the file name.
 */
export function decodeImage(bytes: Uint8Array): RgbaImage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0x89504e47) {
    const png = PNG.sync.read(buf);
    return { width: png.width, height: png.height, data: png.data };
  }
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) {
    const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true });
    return { width: img.width, height: img.height, data: img.data };
  }
  throw new Error('not a PNG or JPEG file');
}

/**
 * RGBA -> float [0, 1] with 1 channel (luminance 0.299 R + 0.587 G + 0.114 B, ITU-R BT.601)
 * or 3 channels (RGB). Alpha is ignored.
 */
export function toChannels(img: RgbaImage, channels: 1 | 3): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n * channels);
  const d = img.data;
  for (let i = 0; i < n; i++) {
    const r = d[4 * i] / 255;
    const g = d[4 * i + 1] / 255;
    const b = d[4 * i + 2] / 255;
    if (channels === 1) out[i] = Math.min(1, 0.299 * r + 0.587 * g + 0.114 * b);
    else out.set([r, g, b], 3 * i);
  }
  return out;
}

/**
 * Resizes an HWC float image with half-pixel centres (like tf.image.resizeBilinear with
 * halfPixelCenters). Writes into `out` (outH * outW * channels values).
 */
export function resizeImage(
  src: Float32Array, inH: number, inW: number, channels: number,
  out: Float32Array, outH: number, outW: number, method: ResizeMethod,
): void {
  const clamp = (v: number, hi: number) => (v < 0 ? 0 : v > hi ? hi : v);
  for (let y = 0; y < outH; y++) {
    const sy = clamp(((y + 0.5) * inH) / outH - 0.5, inH - 1);
    for (let x = 0; x < outW; x++) {
      const sx = clamp(((x + 0.5) * inW) / outW - 0.5, inW - 1);
      const o = (y * outW + x) * channels;
      if (method === 'nearest') {
        const i = (Math.min(inH - 1, Math.round(sy)) * inW + Math.min(inW - 1, Math.round(sx))) * channels;
        for (let c = 0; c < channels; c++) out[o + c] = src[i + c];
        continue;
      }
      const y0 = Math.floor(sy);
      const x0 = Math.floor(sx);
      const y1 = Math.min(y0 + 1, inH - 1);
      const x1 = Math.min(x0 + 1, inW - 1);
      const fy = sy - y0;
      const fx = sx - x0;
      for (let c = 0; c < channels; c++) {
        const top = src[(y0 * inW + x0) * channels + c] * (1 - fx) + src[(y0 * inW + x1) * channels + c] * fx;
        const bottom = src[(y1 * inW + x0) * channels + c] * (1 - fx) + src[(y1 * inW + x1) * channels + c] * fx;
        out[o + c] = Math.min(1, top * (1 - fy) + bottom * fy);
      }
    }
  }
}
