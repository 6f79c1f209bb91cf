import { UserInputError } from '../../registry/errors';

/** An array read from a `.npy` file: its shape and values (float arrays as float32). */
export interface NpyArray {
  shape: number[];
  /** `<f4`, `<f8`, `<i4`, ... as in the header. */
  dtype: string;
  values: Float32Array | Int32Array;
}

const FLOAT_TYPES = ['<f4', '<f8'];
const INT_TYPES = ['|i1', '|u1', '<i2', '<u2', '<i4', '<u4', '<i8'];

/**
 * Parses a NumPy `.npy` file (format versions 1-3, little-endian, C order): floats become a
 * Float32Array, integers an Int32Array. Hand-written (about 50 lines) rather than a new
 * dependency; the format is numpy's NEP 1 (`numpy.lib.format`).
 *
 * @param file used in error messages
 * @param want `float` for sequence values, `int` for labels
 * @throws UserInputError naming the file for a bad magic, header, dtype or Fortran order
 * @example
 * const { shape, values } = parseNpy(fs.readFileSync('x.npy'), 'x.npy', 'float'); // shape [N, T, D]
 */
export function parseNpy(bytes: Buffer, file: string, want: 'float' | 'int'): NpyArray {
  if (bytes.length < 10 || bytes.readUInt8(0) !== 0x93 || bytes.toString('latin1', 1, 6) !== 'NUMPY') {
    throw new UserInputError(`${file}: not a .npy file (no \\x93NUMPY magic)`);
  }
  const major = bytes.readUInt8(6);
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.toString(major === 3 ? 'utf8' : 'latin1', start, start + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new UserInputError(`${file}: malformed .npy header ${JSON.stringify(header.trim())}`);
  if (fortran === 'True') throw new UserInputError(`${file}: Fortran-order arrays are not supported; save with np.ascontiguousarray`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const allowed = want === 'float' ? FLOAT_TYPES : INT_TYPES;
  if (!allowed.includes(descr)) {
    throw new UserInputError(`${file}: dtype ${descr} is not supported for ${want === 'float' ? 'sequence values' : 'labels'}; expected one of ${allowed.join(', ')}`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const body = bytes.subarray(start + headerLength);
  const width = Number(descr.slice(2));
  if (body.length < count * width) throw new UserInputError(`${file}: ${body.length} data bytes, expected ${count * width} for shape (${shape.join(', ')}) of ${descr}`);
  const read = (i: number): number => {
    const at = i * width;
    switch (descr) {
      case '<f4': return body.readFloatLE(at);
      case '<f8': return body.readDoubleLE(at);
      case '|i1': return body.readInt8(at);
      case '|u1': return body.readUInt8(at);
      case '<i2': return body.readInt16LE(at);
      case '<u2': return body.readUInt16LE(at);
      case '<i4': return body.readInt32LE(at);
      case '<u4': return body.readUInt32LE(at);
      default: return Number(body.readBigInt64LE(at));
    }
  };
  const values = want === 'float' ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) values[i] = read(i);
  return { shape, dtype: descr, values };
}
