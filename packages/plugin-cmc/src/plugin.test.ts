import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { runCli } from '@contrastive/cli';
import { createRegistry, defineComponent, loadPlugins, runTraining, UserInputError, type Images, type ViewTransform } from '@contrastive/framework';
import cmcPlugin from './index';
import { cmcTestRegistry, useTestBackend } from './test-helpers';

/**
 * The plugin as users meet it: loaded by package name (the workspace links
 * node_modules/@contrastive/plugin-cmc to this package; the loader imports its build), and
 * through the `contrastive` command.
 */

// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require('../package.json') as { name: string; version: string };
const repo = path.resolve(__dirname, '../../..');
const recipe = 'configs/cmc-fashion-mnist.yaml';
const run = (argv: string[], cwd = repo) => runCli(argv, cwd);

describe('@contrastive/plugin-cmc', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cmc-plugin-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('has a manifest named and versioned like its package, for framework API 1.4', () => {
    expect(cmcPlugin.name).toBe('@contrastive/plugin-cmc');
    expect(cmcPlugin.name).toBe(pkg.name);
    expect(cmcPlugin.version).toBe(pkg.version);
    expect(cmcPlugin.frameworkApi).toBe('^1.4.0');
  });

  it('loads by package name and registers method cmc', () => {
    const registry = createRegistry();
    const [loaded] = loadPlugins([pkg.name], registry, { resolveFrom: [repo] });
    expect(loaded).toMatchObject({ name: pkg.name, version: pkg.version, frameworkApi: '^1.4.0' });
    expect([...loaded.components]).toEqual(['method:cmc']);
    expect(registry.get('method', 'cmc').source).toBe(pkg.name);
  });

  it('ships the same recipes in the package and in the repository\'s configs/', () => {
    for (const file of [recipe, 'configs/cmc-lab-image-folder.yaml']) {
      expect(fs.readFileSync(path.join(repo, file), 'utf8')).toBe(fs.readFileSync(path.join(__dirname, '..', file), 'utf8'));
    }
  });

  it('validates its recipes', async () => {
    for (const file of [recipe, 'configs/cmc-lab-image-folder.yaml']) {
      const r = await run(['validate', file, '--json']);
      expect({ file, stderr: r.stderr, code: r.code }).toEqual({ file, stderr: '', code: 0 });
    }
  });

  /** A config file with the given method block (YAML lines, indented under `method:`). */
  function configWith(methodLines: string[], extra: string[] = []): string {
    const file = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(file, [
      'name: bad', 'plugins: ["@contrastive/plugin-cmc"]',
      'data: { use: synthetic, channels: 3, batchSize: 8, trainCount: 32, testCount: 8, height: 8, width: 8 }',
      'method:', '  use: cmc', ...methodLines.map((l) => `  ${l}`),
      'encoder: { use: convnet, channels: [4], embeddingDim: 4 }',
      `train: { steps: 1, outputDir: ${JSON.stringify(path.join(tmp, 'runs'))} }`, 'tracking: { uri: none }', ...extra,
    ].join('\n'));
    return file;
  }

  it.each([
    ['one view only', ['views:', '  - { name: L, transform: { use: lab-l } }'],
      'bad.yaml:6: method.views: must have at least 2 item(s)'],
    ['a view name used twice', ['views:', '  - { name: L, transform: { use: lab-l } }', '  - { name: L, transform: { use: lab-ab } }'],
      'bad.yaml:8: method.views[1].name: view name "L" is used twice (also by method.views[0])'],
    ['an encoder for a view name no view has', ['encoders:', '  depth: { use: mlp }'],
      'bad.yaml:7: method.encoders.depth: no view is named "depth", so no view would use this encoder; views: L, ab, image, edges'],
    ['a core view that is no view', ['pairing: core', 'coreView: rgb', 'views:', '  - { name: L, transform: { use: lab-l } }', '  - { name: ab, transform: { use: lab-ab } }'],
      'bad.yaml:7: method.coreView: no view is named "rgb"; views: L, ab'],
    ['an unknown view transform', ['views:', '  - { name: L, transform: { use: lab-l } }', '  - { name: d, transform: { use: depth } }'],
      'method.views[1].transform.use: unknown view "depth"'],
    ['a bad option of a view transform', ['views:', '  - { name: r, transform: { use: channels, indices: [] } }', '  - { name: g, transform: { use: channels, indices: [1, 2] } }'],
      'method.views[0].transform.indices: must have at least 1 item'],
  ])('exits 2 naming the JSON path for %s, before anything is written', async (_label, lines, message) => {
    for (const command of ['validate', 'train']) {
      const r = await run([command, configWith(lines), '--json']);
      expect({ command, code: r.code }).toEqual({ command, code: 2 });
      expect(r.stderr).toContain(message);
      expect(fs.existsSync(path.join(tmp, 'runs'))).toBe(false);
    }
  });

  it('exits 2 naming the views for a channel split that does not cover the input, before anything is written', async () => {
    const file = configWith(['views:', '  - { name: r, transform: { use: channels, indices: [0] } }', '  - { name: gb, transform: { use: channels, indices: [1] } }']);
    const r = await run(['train', file, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('method.views: the channel split covers channels 0, 1 of the 3-channel input; channel(s) 2 are in no view');
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!).status).toBe('INVALID');
    expect(fs.existsSync(path.join(tmp, 'runs'))).toBe(false);
  });

  it('exits 2 for grey images with Lab views, naming the view', async () => {
    const file = configWith(['views:', '  - { name: L, transform: { use: lab-l } }', '  - { name: ab, transform: { use: lab-ab } }']);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('channels: 3, ', ''));
    const r = await run(['train', file, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('method.views[0] (view "L"): lab-l cannot make a view of [8, 8, 1] images');
  });
});

describe('a view transform that breaks its contract', () => {
  let tmp: string;
  beforeAll(useTestBackend);
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cmc-bad-view-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Declares [H, W, 1]; yields [B, H, W, 2] (wrong) or [B, H, W, 0] (empty). */
  const broken = defineComponent<'view', { yields: 'wrong' | 'empty' }>({
    kind: 'view', name: 'broken', description: 'Test: a transform that breaks its contract.',
    schema: { type: 'object', properties: { yields: { enum: ['wrong', 'empty'] } }, additionalProperties: false },
    create: (o): ViewTransform => ({
      outputShape: ([h, w]) => [h, w, 1],
      apply: (x: Images) => tf.slice(tf.concat([x, x], 3), [0, 0, 0, 0], [-1, -1, -1, o.yields === 'wrong' ? 2 : 0]) as Images,
    }),
  });

  it.each([
    ['wrong', 'method.views[1] (view "b"): transform "broken" yields a tensor [2, 8, 8, 2] for a batch [2, 8, 8, 1]; expected [2, 8, 8, 1]'],
    ['empty', 'method.views[1] (view "b"): transform "broken" yields an empty tensor [2, 8, 8, 0]'],
  ])('is refused as invalid input (%s shape) before the run folder exists', async (yields, message) => {
    const registry = cmcTestRegistry();
    registry.register(broken, 'test');
    const raw = {
      name: 'broken', data: { use: 'synthetic', batchSize: 8, trainCount: 32, testCount: 8, height: 8, width: 8 },
      method: { use: 'cmc', views: [{ name: 'a', transform: { use: 'image' } }, { name: 'b', transform: { use: 'broken', yields } }] },
      encoder: { use: 'mlp', hidden: [4], embeddingDim: 4 },
      train: { steps: 1, outputDir: path.join(tmp, 'runs') }, tracking: { uri: 'none' },
    };
    const attempt = runTraining({ raw, registry, silent: true, cwd: tmp, env: {} });
    await expect(attempt).rejects.toThrow(UserInputError);
    await expect(runTraining({ raw, registry, silent: true, cwd: tmp, env: {} })).rejects.toThrow(message);
    expect(fs.existsSync(path.join(tmp, 'runs'))).toBe(false);
  });
});
