import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseCsvSequences } from './csv-sequences';
import { parseNpy } from './npy-reader';
import { SequenceFilesSource, type SequenceFilesOptions } from './sequence-files';
import { parseTsFile } from './ts-format';
import { TsFilesSource } from './ts-files';

/** A .npy file (format 1.0) as numpy writes it: magic, header padded to 64 bytes, data. */
function npy(descr: string, shape: number[], values: number[]): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const width = Number(descr.slice(2));
  const body = Buffer.alloc(values.length * width);
  values.forEach((v, i) => {
    if (descr === '<f4') body.writeFloatLE(v, i * 4);
    else if (descr === '<f8') body.writeDoubleLE(v, i * 8);
    else if (descr === '<i8') body.writeBigInt64LE(BigInt(v), i * 8);
    else if (descr === '<i4') body.writeInt32LE(v, i * 4);
  });
  const pre = Buffer.alloc(10);
  pre.writeUInt8(0x93, 0);
  pre.write('NUMPY', 1, 'latin1');
  pre.writeUInt8(1, 6);
  pre.writeUInt8(0, 7);
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), body]);
}

describe('.npy reader', () => {
  it('reads float64 [N, T, D] and int64 labels', () => {
    const x = parseNpy(npy('<f8', [2, 3, 1], [1, 2, 3, 4, 5, 6.5]), 'x.npy', 'float');
    expect(x.shape).toEqual([2, 3, 1]);
    expect(Array.from(x.values)).toEqual([1, 2, 3, 4, 5, 6.5]);
    expect(Array.from(parseNpy(npy('<i8', [3], [2, 0, 1]), 'y.npy', 'int').values)).toEqual([2, 0, 1]);
  });

  it('refuses a wrong dtype, naming the file', () => {
    expect(() => parseNpy(npy('<i4', [2, 2], [1, 2, 3, 4]), 'data/x.npy', 'float')).toThrow(/data\/x\.npy: dtype <i4 is not supported for sequence values/);
    expect(() => parseNpy(Buffer.from('not numpy at all'), 'data/x.npy', 'float')).toThrow(/data\/x\.npy: not a \.npy file/);
  });
});

describe('CSV sequences', () => {
  it('reads one sequence per row with a label column and a header', () => {
    const csv = parseCsvSequences('label,t0,t1,t2\n1,0.5,0.25,1\n0,1,2,3\n', 'x.csv', 0);
    expect(csv.count).toBe(2);
    expect(csv.rowLength).toBe(3);
    expect(Array.from(csv.values)).toEqual([0.5, 0.25, 1, 1, 2, 3]);
    expect(csv.labels).toEqual(['1', '0']);
  });

  it('refuses ragged rows and non-numbers, naming file and line', () => {
    expect(() => parseCsvSequences('1,2,3\n4,5,6\n\n7,8\n', 'runs.csv')).toThrow(/^runs\.csv:4: row has 2 values, expected 3 like line 1/);
    expect(() => parseCsvSequences('1,2,3\n4,x,6\n', 'runs.csv')).toThrow(/^runs\.csv:2: value "x" is not a number/);
  });
});

const TOY_TS = [
  '# a toy problem', '@problemName Toy', '@timeStamps false', '@missing false', '@univariate false', '@dimensions 2',
  '@equalLength false', '@classLabel true a b', '@data',
  '1,2,3:4,5,6:a', '7,8:9,10:b', '',
].join('\n');

describe('UCR/UEA .ts format', () => {
  it('parses header and cases: dimensions by ":", values by ",", label last', () => {
    const f = parseTsFile(TOY_TS, 'toy.ts');
    expect(f.header.classLabels).toEqual(['a', 'b']);
    expect(f.series[0]).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(f.series[1]).toEqual([[7, 9], [8, 10]]);
    expect(f.labels).toEqual([0, 1]);
  });

  it.each([
    ['an unknown tag', TOY_TS.replace('@missing false', '@mising false'), /toy\.ts:4: unknown header tag @mising/],
    ['a bad boolean', TOY_TS.replace('@univariate false', '@univariate maybe'), /toy\.ts:5: @univariate must be true or false/],
    ['a bad dimension count', TOY_TS.replace('@dimensions 2', '@dimensions two'), /toy\.ts:6: @dimensions must be a positive integer/],
    ['@data before @classLabel', TOY_TS.replace('@classLabel true a b\n', ''), /toy\.ts:8: @data before @classLabel/],
    ['an unknown label', TOY_TS.replace('7,8:9,10:b', '7,8:9,10:c'), /toy\.ts:11: class label "c" is not one of/],
    ['a missing value', TOY_TS.replace('7,8:9,10:b', '7,?:9,10:b'), /toy\.ts:11: dimension 1, value 2: "\?" is not a number/],
    ['too few dimensions', TOY_TS.replace('7,8:9,10:b', '7,8:b'), /toy\.ts:11: case has 1 dimension\(s\), the header says 2/],
    ['no @data', '@problemName x\n@classLabel false\n', /toy\.ts: no @data line/],
  ])('refuses %s, naming file and line', (_what, text, message) => {
    expect(() => parseTsFile(text, 'toy.ts')).toThrow(message);
  });
});

describe('file data sources', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-seqfiles-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sequence-files: a .npy [N, T] with .npy labels, and a CSV with a label column and dims', async () => {
    fs.writeFileSync(path.join(dir, 'x.npy'), npy('<f4', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]));
    fs.writeFileSync(path.join(dir, 'y.npy'), npy('<i8', [2], [1, 0]));
    fs.writeFileSync(path.join(dir, 'test.csv'), '0,1,2,3,4\n1,5,6,7,8\n');
    const options: SequenceFilesOptions = { batchSize: 1, dims: 2, train: { values: 'x.npy', labels: 'y.npy' }, test: { values: 'test.csv', labelColumn: 0 } };
    const source = new SequenceFilesSource(options, dir);
    const train = await source.load('train');
    expect(train.shape).toEqual([4, 1]);
    expect(Array.from(train.labels)).toEqual([1, 0]);
    const test = await source.load('test');
    expect(test.shape).toEqual([2, 2]);
    expect(Array.from(test.values.subarray(0, 4))).toEqual([1, 2, 3, 4]);
    expect(test.numClasses).toBe(2);
  });

  it('sequence-files: refuses a .npy of the wrong rank and labels that do not match, naming the file', async () => {
    fs.writeFileSync(path.join(dir, 'x.npy'), npy('<f4', [8], [1, 2, 3, 4, 5, 6, 7, 8]));
    fs.writeFileSync(path.join(dir, 'ok.npy'), npy('<f4', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]));
    fs.writeFileSync(path.join(dir, 'y.npy'), npy('<i8', [3], [1, 0, 1]));
    const load = (values: string, labels?: string) =>
      new SequenceFilesSource({ batchSize: 1, dims: 1, train: { values, labels }, test: { values } }, dir).load('train');
    await expect(load('x.npy')).rejects.toThrow(/x\.npy: array of rank 1 .* expected \[N, T\] or \[N, T, D\]/);
    await expect(load('ok.npy', 'y.npy')).rejects.toThrow(/y\.npy: 3 labels for 2 sequences/);
  });

  it('ts-files: pads variable-length series to the longest by repeating the last step', async () => {
    fs.writeFileSync(path.join(dir, 'Toy_TRAIN.ts'), TOY_TS);
    fs.writeFileSync(path.join(dir, 'Toy_TEST.ts'), TOY_TS);
    const source = new TsFilesSource({ batchSize: 1, train: 'Toy_TRAIN.ts', test: 'Toy_TEST.ts' }, dir);
    const train = await source.load('train');
    expect(source.name).toBe('Toy');
    expect(train.shape).toEqual([3, 2]);
    expect(Array.from(train.values.subarray(6, 12))).toEqual([7, 9, 8, 10, 8, 10]);
    expect(train.classNames).toEqual(['a', 'b']);
  });
});
