import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ImageDataset } from '@contrastive/framework';
import { readRunFolder } from '../runs/file-system-run-locator';
import { FAST_EVAL, trainTinyRun } from '../test-helpers/tiny-run';
import { useTestBackend } from '../test-helpers/use-test-backend';
import { BaselineCache, baselineCacheKey, datasetFingerprint, type BaselineKeyParts } from './baseline-cache';
import { evaluateRun } from './evaluate-run';
import type { RepresentationScores } from './representation-scores';

const base: BaselineKeyParts = {
  baseline: 'untrained', train: 'd/train/100/abc', test: 'd/test/20/def',
  options: { representation: 'global', seed: 0, linearProbe: false, knn: { k: 20, temperature: 0.07 }, labelEfficiency: false },
  model: { seed: 1, method: { use: 'infonce' }, slots: { encoder: { use: 'convnet' } }, versions: { frameworkApi: '1.1.0' } },
  backend: 'tensorflow',
};

describe('baselineCacheKey', () => {
  it('is the same for the same parts, whatever their key order', () => {
    const reordered = { backend: base.backend, model: base.model, options: base.options, test: base.test, train: base.train, baseline: base.baseline };
    expect(baselineCacheKey(reordered)).toBe(baselineCacheKey(base));
  });

  it.each<[string, Partial<BaselineKeyParts>]>([
    ['the baseline', { baseline: 'rawPixels' }],
    ['the train data', { train: 'd/train/100/abd' }],
    ['the test split', { test: 'd/test/21/def' }],
    ['the eval seed', { options: { ...base.options, seed: 1 } }],
    ['the kNN protocol', { options: { ...base.options, knn: { k: 200, temperature: 0.07 } } }],
    ['the representation', { options: { ...base.options, representation: 'conv1' } }],
    ['the run seed', { model: { ...base.model!, seed: 2 } }],
    ['the encoder config', { model: { ...base.model!, slots: { encoder: { use: 'convnet', batchNorm: true } } } }],
    ['a plugin version', { model: { ...base.model!, versions: { frameworkApi: '1.1.0', '@x/plugin': '0.2.0' } } }],
    ['the backend', { backend: 'wasm' }],
    ['the protocol version', { protocol: 999 }],
  ])('changes with %s', (_, change) => {
    expect(baselineCacheKey({ ...base, ...change })).not.toBe(baselineCacheKey(base));
  });
});

describe('datasetFingerprint', () => {
  const data = (): ImageDataset => ({
    name: 'd', split: 'train', shape: [2, 2, 1], count: 3, numClasses: 2,
    images: Float32Array.from({ length: 12 }, (_, i) => i / 12), labels: Int32Array.from([0, 1, 0]),
  });
  it('changes with a label, a sampled pixel, the size or the split', () => {
    const a = datasetFingerprint(data());
    expect(datasetFingerprint(data())).toBe(a);
    const label = data(); label.labels[2] = 1;
    const pixel = data(); pixel.images[0] = 0.5;
    expect(new Set([a, datasetFingerprint(label), datasetFingerprint(pixel), datasetFingerprint({ ...data(), count: 2 }), datasetFingerprint({ ...data(), split: 'test' })]).size).toBe(5);
  });
});

describe('BaselineCache', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baseline-cache-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const scores: RepresentationScores = { dim: 4, featureSeconds: 1, linear: null, knn: { top1: 0.5, top5: 0.9, seconds: 0.1 }, labelEfficiency: [] };

  it('returns what was stored under a key, and misses for another key or a damaged file', () => {
    const cache = new BaselineCache(dir);
    cache.set('k1', scores);
    expect(cache.get('k1')).toEqual(scores);
    expect(cache.get('k2')).toBeNull();
    fs.writeFileSync(path.join(dir, 'k1.json'), '{ not json');
    expect(cache.get('k1')).toBeNull();
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('evaluateRun with the baseline cache', () => {
  let dir: string;
  let runDir: string;
  const saved = process.env.CONTRASTIVE_EVAL_CACHE_DIR;
  beforeAll(async () => {
    await useTestBackend();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-eval-cache-'));
    process.env.CONTRASTIVE_EVAL_CACHE_DIR = path.join(dir, 'cache');
    runDir = (await trainTinyRun(dir, { eval: FAST_EVAL })).runDir;
  });
  afterAll(() => {
    process.env.CONTRASTIVE_EVAL_CACHE_DIR = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const evaluate = async (options: Record<string, unknown>) => {
    const lines: string[] = [];
    const report = await evaluateRun({ run: readRunFolder(runDir), options: { ...FAST_EVAL, plot: false, ...options }, cwd: dir, log: (l) => lines.push(l) });
    return { report, cached: lines.filter((l) => l.endsWith('(cached)')).map((l) => l.trim().split(':')[0]) };
  };

  it('computes the baselines once, then reuses them; a changed key part computes them again', async () => {
    const first = await evaluate({});
    expect(first.cached).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'cache'))).toHaveLength(2);
    const second = await evaluate({});
    expect(second.cached).toEqual(['untrained', 'rawPixels']);
    for (const name of ['untrained', 'rawPixels'] as const) expect(second.report.results[name]).toEqual(first.report.results[name]);
    expect(second.report.metrics['delta_raw_pixels.linear.top1']).toBe(first.report.metrics['delta_raw_pixels.linear.top1']);
    const otherSeed = await evaluate({ seed: 3 });
    expect(otherSeed.cached).toEqual([]);
    const noCache = await evaluate({ baselines: { cache: false } });
    expect(noCache.cached).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'cache'))).toHaveLength(4);
  });
});
