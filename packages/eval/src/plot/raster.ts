import { PNG } from 'pngjs';

/** An RGB image in memory with the few drawing operations plots need; encodes to PNG. */
export class Raster {
  readonly data: Uint8Array;

  constructor(readonly width: number, readonly height: number, background: readonly [number, number, number] = [255, 255, 255]) {
    if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
      throw new Error(`Raster: width and height must be positive integers, got ${width}x${height}`);
    }
    this.data = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) this.data.set(background, i * 3);
  }

  /** Mixes `colour` into pixel (x, y) with opacity `alpha` in [0, 1]; pixels outside are ignored. */
  blend(x: number, y: number, colour: readonly [number, number, number], alpha = 1): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (Math.floor(y) * this.width + Math.floor(x)) * 3;
    for (let c = 0; c < 3; c++) this.data[i + c] = Math.round(this.data[i + c] * (1 - alpha) + colour[c] * alpha);
  }

  /** A filled axis-aligned rectangle. */
  fillRect(x: number, y: number, w: number, h: number, colour: readonly [number, number, number], alpha = 1): void {
    for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) this.blend(xx, yy, colour, alpha);
  }

  /** A one-pixel rectangle outline. */
  strokeRect(x: number, y: number, w: number, h: number, colour: readonly [number, number, number]): void {
    this.fillRect(x, y, w, 1, colour);
    this.fillRect(x, y + h - 1, w, 1, colour);
    this.fillRect(x, y, 1, h, colour);
    this.fillRect(x + w - 1, y, 1, h, colour);
  }

  /** A filled disc centred on (cx, cy), pixel-centre sampled. */
  fillDisc(cx: number, cy: number, radius: number, colour: readonly [number, number, number], alpha = 1): void {
    const r2 = radius * radius;
    for (let y = Math.floor(cy - radius); y <= Math.ceil(cy + radius); y++) {
      for (let x = Math.floor(cx - radius); x <= Math.ceil(cx + radius); x++) {
        const dx = x + 0.5 - cx;
        const dy = y + 0.5 - cy;
        if (dx * dx + dy * dy <= r2) this.blend(x, y, colour, alpha);
      }
    }
  }

  /** The image as PNG file bytes (8-bit RGBA, opaque). */
  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    for (let i = 0; i < this.width * this.height; i++) {
      png.data[i * 4] = this.data[i * 3];
      png.data[i * 4 + 1] = this.data[i * 3 + 1];
      png.data[i * 4 + 2] = this.data[i * 3 + 2];
      png.data[i * 4 + 3] = 255;
    }
    return PNG.sync.write(png);
  }
}
