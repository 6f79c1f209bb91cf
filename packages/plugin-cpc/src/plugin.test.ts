import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '@contrastive/cli';
import { createRegistry, FRAMEWORK_API_VERSION, loadPlugins } from '@contrastive/framework';
import cpcPlugin from './index';

/**
 * The plugin as users meet it: loaded by package name (the workspace links
 * node_modules/@contrastive/plugin-cpc to this package; the loader imports its build), and
 * through the `contrastive` command, whose exit code for bad input is 2 and which writes
 * nothing for an invalid config.
 */

// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require('../package.json') as { name: string; version: string };
const repo = path.resolve(__dirname, '../../..');

describe('@contrastive/plugin-cpc', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cpc-plugin-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('has a manifest named and versioned like its package, needing framework API 1.3 (modality)', () => {
    expect(cpcPlugin.name).toBe(pkg.name);
    expect(cpcPlugin.version).toBe(pkg.version);
    expect(cpcPlugin.frameworkApi).toBe('^1.3.0');
    const [major, minor] = FRAMEWORK_API_VERSION.split('.').map(Number);
    expect(major === 1 && minor >= 3).toBe(true);
  });

  it('loads by package name and registers method cpc for images and sequences', () => {
    const registry = createRegistry();
    loadPlugins(['@contrastive/plugin-cpc'], registry, { resolveFrom: [repo] });
    const cpc = registry.get('method', 'cpc');
    expect(cpc.source).toBe('@contrastive/plugin-cpc');
    expect([...cpc.modalities!].sort()).toEqual(['image', 'sequence']);
  });

  const write = (lines: string[]) => {
    const file = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(file, lines.join('\n'));
    return file;
  };
  const train = (file: string) => runCli(['train', file, '--set', 'tracking.uri=none', '--set', `train.outputDir=${path.join(tmp, 'runs')}`], tmp);
  const seqData = 'data: { use: synthetic-sequence, batchSize: 8, steps: 16, trainCount: 16, testCount: 8 }';

  it.each([
    ['K not smaller than the encoded sequence length', [seqData, 'method: { use: cpc, predictionSteps: 4 }', 'encoder: { use: conv1d, strides: [2, 2] }'],
      /method\.predictionSteps: K = 4 must be smaller than the encoded sequence length \(4 steps\)/],
    ['a patch larger than the image', ['data: { use: synthetic, batchSize: 8, trainCount: 16, height: 12, width: 12 }', 'method: { use: cpc, patchSize: 16 }', 'encoder: { use: convnet }'],
      /method\.patchSize: 16 is larger than the 12x12 images/],
    ['augmentations', [seqData, 'method: { use: cpc, predictionSteps: 1 }', 'augment: [{ use: flip }]'],
      /augment: CPC does not augment its inputs/],
    ['a projection head', [seqData, 'method: { use: cpc, predictionSteps: 1 }', 'head: { use: mlp }'],
      /head: CPC scores its codes with its own W_k/],
    ['an image encoder on sequences', [seqData, 'method: { use: cpc }', 'encoder: { use: convnet }'],
      /bad\.yaml:5: encoder\.use: encoder "convnet" takes images \[B, H, W, C\], but data "synthetic-sequence" \(data\.use, line 3\) yields sequences/],
    ['an option out of range', [seqData, 'method: { use: cpc, negatives: everything }'],
      /bad\.yaml:4: method\.negatives: must be one of/],
  ])('exits 2 for %s, naming where, writing no run', async (_what, lines, message) => {
    const file = write(['name: bad', 'plugins: ["@contrastive/plugin-cpc"]', ...lines, 'train: { steps: 1 }']);
    const r = await train(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(path.join(tmp, 'runs'))).toBe(false);
  });

  it.each([
    ['a .ts file with a malformed header', 'Toy_TRAIN.ts', '@problemName Toy\n@univariate perhaps\n@classLabel true a\n@data\n1,2,3,4:a\n',
      'data: { use: ts-files, batchSize: 1, train: Toy_TRAIN.ts, test: Toy_TRAIN.ts }', /Toy_TRAIN\.ts:2: @univariate must be true or false/],
    ['ragged rows in a CSV', 'x.csv', '0,1,2,3,4\n1,5,6,7\n',
      'data: { use: sequence-files, batchSize: 1, train: { values: x.csv, labelColumn: 0 }, test: { values: x.csv, labelColumn: 0 } }', /x\.csv:2: row has 3 values, expected 4 like line 1/],
  ])('exits 2 for %s, naming the file and line', async (_what, name, text, data, message) => {
    fs.writeFileSync(path.join(tmp, name), text);
    const file = write(['name: bad', 'plugins: ["@contrastive/plugin-cpc"]', data, 'method: { use: cpc, predictionSteps: 1 }',
      'encoder: { use: conv1d, channels: [4], kernelSizes: [2], strides: [1] }', 'train: { steps: 1 }']);
    const r = await train(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(path.join(tmp, 'runs'))).toBe(false);
  });

  it('`contrastive init cpc` prints a starter config on sequence data (Fashion-MNIST rows) that validates', async () => {
    const init = await runCli(['init', 'cpc'], repo);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/use: image-rows/);
    const file = path.join(tmp, 'init.yaml');
    fs.writeFileSync(file, init.stdout);
    const v = await runCli(['validate', file], repo);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
  });

  it('the recipes validate', async () => {
    for (const recipe of ['configs/cpc-fashion-mnist.yaml', 'configs/cpc-synthetic-sequence.yaml']) {
      const r = await runCli(['validate', path.join(repo, recipe)], repo);
      expect(r.code).toBe(0);
    }
  });
});
