import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Uint8Split } from './dataset-utils';

const MAGIC = 'CTDS';
/** Bump when the file layout or the decoding of any packaged data set changes. */
const FORMAT_VERSION = 1;
/** magic, format, count, height, width, channels, checksum, id length. */
const FIXED_HEADER_BYTES = 32;

/**
 * Directory of the decoded-dataset cache: `$CONTRASTIVE_CACHE_DIR` when set, else
 * `~/.cache/contrastive/datasets/`. Read on every call so tests can redirect it.
 */
export function datasetCacheDir(): string {
  const fromEnv = process.env.CONTRASTIVE_CACHE_DIR;
  return fromEnv && fromEnv.length > 0
    ? path.resolve(fromEnv)
    : path.join(os.homedir(), '.cache', 'contrastive', 'datasets');
}

/**
 * FNV-1a 32-bit checksum over bytes; catches corrupted payloads. The multiplication by the
 * FNV prime 2^24 + 403 is split so it stays exact in doubles (no Math.imul, which is very
 * slow inside Jest's VM context).
 */
export function checksum32(...parts: Uint8Array[]): number {
  let h = 0x811c9dc5;
  for (const bytes of parts) {
    const n = bytes.length;
    for (let i = 0; i < n; i++) {
      h = (h ^ bytes[i]) >>> 0;
      h = ((h << 24) + h * 403) >>> 0;
    }
  }
  return h;
}

function labelBytes(labels: Int32Array): Uint8Array {
  return new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength);
}

/**
 * Writes one split to `file` atomically (temporary file in the same directory, then
 * rename), so a crashed or concurrent writer never leaves a half-written cache behind.
 * `id` identifies the content (dataset, package version, split) and is checked on read.
 * Layout (little-endian): "CTDS", format, count, height, width, channels, checksum,
 * id length, id (UTF-8), pixels (uint8), labels (int32).
 */
export function writeSplitCache(file: string, id: string, split: Uint8Split): void {
  const idBytes = Buffer.from(id, 'utf8');
  const header = Buffer.alloc(FIXED_HEADER_BYTES + idBytes.length);
  header.write(MAGIC, 0, 'ascii');
  const fields = [FORMAT_VERSION, split.count, ...split.shape, checksum32(split.pixels, labelBytes(split.labels)), idBytes.length];
  fields.forEach((v, i) => header.writeUInt32LE(v >>> 0, 4 + 4 * i));
  idBytes.copy(header, FIXED_HEADER_BYTES);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.${Math.floor(Math.random() * 1e9)}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, header);
      fs.writeSync(fd, split.pixels);
      fs.writeSync(fd, labelBytes(split.labels));
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Reads a split written by writeSplitCache. Returns null (so the caller rebuilds) when the
 * file is missing, was written for another `id` or format, has the wrong size, or fails
 * its checksum.
 */
export function readSplitCache(file: string, id: string): Uint8Split | null {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return null;
  }
  if (buf.length < FIXED_HEADER_BYTES || buf.toString('ascii', 0, 4) !== MAGIC) return null;
  const field = (i: number) => buf.readUInt32LE(4 + 4 * i);
  const [format, count, height, width, channels, sum, idLength] = [0, 1, 2, 3, 4, 5, 6].map(field);
  if (format !== FORMAT_VERSION || FIXED_HEADER_BYTES + idLength > buf.length) return null;
  if (buf.toString('utf8', FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + idLength) !== id) return null;
  const start = FIXED_HEADER_BYTES + idLength;
  const pixelCount = count * height * width * channels;
  if (buf.length !== start + pixelCount + 4 * count) return null;
  const pixels = new Uint8Array(pixelCount);
  pixels.set(buf.subarray(start, start + pixelCount));
  const labels = new Int32Array(count);
  labelBytes(labels).set(buf.subarray(start + pixelCount));
  if (checksum32(pixels, labelBytes(labels)) !== sum) return null;
  return { count, shape: [height, width, channels], pixels, labels };
}
