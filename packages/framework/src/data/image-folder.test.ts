import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as jpeg from 'jpeg-js';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { UserInputError } from '../registry/errors';
import { useTestBackend } from '../test-helpers/use-test-backend';
import { resizeImage } from './image-decode';
import { imageFolderData, ImageFolderSource, pathFraction, type ImageFolderOptions } from './image-folder';

type Pixel = (x: number, y: number) => [number, number, number];

function writePng(file: string, width: number, height: number, pixel: Pixel): void {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) png.data.set([...pixel(x, y), 255], 4 * (y * width + x));
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, PNG.sync.write(png));
}

function writeJpeg(file: string, width: number, height: number, pixel: Pixel): void {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([...pixel(x, y), 255], 4 * (y * width + x));
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, jpeg.encode({ data, width, height }, 95).data);
}

const opts = (o: Partial<ImageFolderOptions> = {}) => ({ height: 28, width: 28, channels: 1 as const, testFraction: 0.2, resize: 'bilinear' as const, ...o });
const both = async (source: ImageFolderSource) => [await source.load('train'), await source.load('test')] as const;

let dir: string;
beforeAll(async () => {
  await useTestBackend();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-folder-'));
  for (let i = 0; i < 12; i++) {
    writePng(path.join(dir, 'labelled', 'zebra', `z${i}.png`), 40, 30, () => [255, 0, 0]);
    writeJpeg(path.join(dir, 'labelled', 'ant', `a${i}.JPG`), 32, 32, () => [0, 0, 255]);
  }
  fs.writeFileSync(path.join(dir, 'labelled', 'ant', 'notes.txt'), 'ignored');
  for (let i = 0; i < 5; i++) writePng(path.join(dir, 'loose', `img-${i}.png`), 56, 56, (x) => (x < 28 ? [0, 0, 0] : [255, 255, 255]));
  fs.mkdirSync(path.join(dir, 'empty'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('image-folder data source', () => {
  it('labels sub-folders by sorted name and splits each file by a hash of its path', async () => {
    const [train, test] = await both(new ImageFolderSource(path.join(dir, 'labelled'), opts({ testFraction: 0.3 })));
    expect(train.classNames).toEqual(['ant', 'zebra']);
    expect(train.numClasses).toBe(2);
    expect(train.count + test.count).toBe(24);
    expect(test.count).toBeGreaterThan(0);
    expect(train.shape).toEqual([28, 28, 1]);
    const expectedTest = ['ant/a', 'zebra/z'].flatMap((p) => Array.from({ length: 12 }, (_, i) => `${p}${i}.${p[0] === 'a' ? 'JPG' : 'png'}`))
      .filter((rel) => pathFraction(rel) < 0.3);
    expect(test.count).toBe(expectedTest.length);
    // Grey by luminance: red PNG -> 0.299 exactly; blue JPEG -> about 0.114.
    for (const d of [train, test]) {
      d.labels.forEach((label, n) => {
        const v = d.images[n * 784 + 400];
        if (label === 1) expect(v).toBeCloseTo(0.299, 5);
        else expect(Math.abs(v - 0.114)).toBeLessThan(0.03);
      });
    }
  });

  it('keeps colour with channels: 3 and resizes to the configured size', async () => {
    const train = await new ImageFolderSource(path.join(dir, 'labelled'), opts({ channels: 3, height: 10, width: 12, testFraction: 0 })).load('train');
    expect(train.count).toBe(24);
    expect(train.shape).toEqual([10, 12, 3]);
    const zebra = train.labels.indexOf(1) * 360;
    expect(Array.from(train.images.subarray(zebra, zebra + 3))).toEqual([1, 0, 0]);
    const ant = train.labels.indexOf(0) * 360;
    expect(train.images[ant + 2]).toBeGreaterThan(0.9);
    expect(train.images[ant]).toBeLessThan(0.1);
  });

  it('reads loose files as unlabelled and resizes 56x56 -> 28x28', async () => {
    const all = await new ImageFolderSource(path.join(dir, 'loose'), opts({ testFraction: 0 })).load('train');
    expect(all.count).toBe(5);
    expect(all.numClasses).toBe(0);
    expect(all.classNames).toBeUndefined();
    expect(Array.from(all.labels)).toEqual([-1, -1, -1, -1, -1]);
    const row = Array.from(all.images.subarray(28 * 5, 28 * 6));
    expect(row).toEqual([...new Array(14).fill(0), ...new Array(14).fill(1)]);
    expect((await new ImageFolderSource(path.join(dir, 'loose'), opts({ testFraction: 1 })).load('train')).count).toBe(0);
  });

  it('bilinear resize matches tf.image.resizeBilinear with half-pixel centres', () => {
    const src = Float32Array.from({ length: 7 * 5 * 2 }, (_, i) => ((i * 37) % 101) / 100);
    for (const [outH, outW] of [[3, 4], [12, 9]]) {
      const out = new Float32Array(outH * outW * 2);
      resizeImage(src, 7, 5, 2, out, outH, outW, 'bilinear');
      const expected = tf.tidy(() => tf.image.resizeBilinear(tf.tensor3d(src, [7, 5, 2]), [outH, outW], false, true).dataSync());
      Array.from(out).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    }
  });

  it('resolves a relative path against the config directory', async () => {
    const source = imageFolderData.create({ batchSize: 4, path: 'loose', ...opts({ testFraction: 0 }) }, { baseDir: dir } as never);
    expect((await source.load('train')).count).toBe(5);
  });

  it('reports a missing folder, a folder without images and an undecodable file, naming them', async () => {
    const missing = path.join(dir, 'nope');
    await expect(new ImageFolderSource(missing, opts()).load('train')).rejects.toThrow(UserInputError);
    await expect(new ImageFolderSource(missing, opts()).load('train')).rejects.toThrow(missing);
    await expect(new ImageFolderSource(path.join(dir, 'empty'), opts()).load('train')).rejects.toThrow(/no images .* found in .*empty/);
    const broken = path.join(dir, 'broken');
    writePng(path.join(broken, 'ok.png'), 4, 4, () => [1, 2, 3]);
    fs.writeFileSync(path.join(broken, 'bad.png'), 'this is not a png');
    const err = await new ImageFolderSource(broken, opts({ testFraction: 0 })).load('train').catch((e) => e);
    expect(err).toBeInstanceOf(UserInputError);
    expect(err.message).toContain(path.join(broken, 'bad.png'));
    fs.writeFileSync(path.join(broken, 'bad.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
    await expect(new ImageFolderSource(broken, opts({ testFraction: 0 })).load('train')).rejects.toThrow(/cannot decode .*bad\.png/);
  });

  it('rejects class folders mixed with loose images, and an empty class folder', async () => {
    const mixed = path.join(dir, 'mixed');
    writePng(path.join(mixed, 'cls', 'a.png'), 4, 4, () => [0, 0, 0]);
    writePng(path.join(mixed, 'stray.png'), 4, 4, () => [0, 0, 0]);
    await expect(new ImageFolderSource(mixed, opts()).load('train')).rejects.toThrow(/stray\.png/);
    const emptyClass = path.join(dir, 'empty-class');
    writePng(path.join(emptyClass, 'cls', 'a.png'), 4, 4, () => [0, 0, 0]);
    fs.mkdirSync(path.join(emptyClass, 'other'));
    await expect(new ImageFolderSource(emptyClass, opts()).load('train')).rejects.toThrow(/class folder .*other.* has no images/);
  });
});
