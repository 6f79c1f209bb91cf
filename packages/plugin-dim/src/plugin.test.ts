import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '@contrastive/cli';
import { createRegistry, loadPlugins } from '@contrastive/framework';
import dimPlugin from './index';

/**
 * The plugin as users meet it: loaded by package name (the workspace links
 * node_modules/@contrastive/plugin-dim to this package; the loader imports its build, which
 * `npm test` makes first), and through the `contrastive` command.
 */

// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require('../package.json') as { name: string; version: string };
const repo = path.resolve(__dirname, '../../..');
const recipe = 'configs/dim-fashion-mnist.yaml';
const components = ['method:dim', 'score:dim-critic'];

const run = (argv: string[], cwd = repo) => runCli(argv, cwd);

describe('@contrastive/plugin-dim', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dim-plugin-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('has a manifest named and versioned like its package, for framework API 1.2', () => {
    expect(dimPlugin.name).toBe('@contrastive/plugin-dim');
    expect(dimPlugin.version).toBe(pkg.version);
    expect(dimPlugin.frameworkApi).toBe('^1.2.0');
  });

  it('loads by package name and registers its components', () => {
    const registry = createRegistry();
    const [loaded] = loadPlugins([pkg.name], registry, { resolveFrom: [repo] });
    expect(loaded).toMatchObject({ name: pkg.name, version: pkg.version, frameworkApi: '^1.2.0' });
    expect([...loaded.components].sort()).toEqual(components);
    expect(registry.get('method', 'dim').source).toBe(pkg.name);
  });

  it('gives `contrastive init dim` a starter config that validates', async () => {
    const init = await run(['init', 'dim']);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/score:\n\s+use: dim-critic/);
    fs.writeFileSync(path.join(tmp, 'starter.yaml'), init.stdout);
    const validate = await run(['validate', path.join(tmp, 'starter.yaml'), '--json']);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
  });

  it('ships the same recipe in the package and in the repository\'s configs/', () => {
    const here = fs.readFileSync(path.join(__dirname, '..', recipe), 'utf8');
    expect(fs.readFileSync(path.join(repo, recipe), 'utf8')).toBe(here);
  });

  const noOutputs = (dir: string) => ['--set', `train.outputDir=${dir}/runs`, '--set', `tracking.uri=${dir}/mlruns`];

  it.each([
    ['method.estimator', 'mine', 'must be one of: infonce, jsd, dv, nce (got "mine")'],
    ['method.alpha', '-1', 'must be >= 0 (got -1)'],
    ['method.beta', '-0.5', 'must be >= 0 (got -0.5)'],
  ])('exits 2 naming the JSON path for --set %s=%s, writing nothing', async (where, value, message) => {
    const r = await run(['train', recipe, '--set', `${where}=${value}`, ...noOutputs(tmp), '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`dim-fashion-mnist.yaml: ${where} (from --set ${where}=${value}): ${message}`);
    expect(r.last().status).toBe('INVALID');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it.each([
    ['a feature map the encoder does not have', 'stage2', 'method.layer: the encoder has no feature map "stage2"; valid choices: conv0 (14x14x16), conv1 (7x7x32), conv2 (4x4x32), conv3 (2x2x32)'],
    ['a feature map too small for these images', 'conv4', 'method.layer: feature map "conv4" is 1x1 for 28x28 images, too small for DIM(L) (at least 2x2 locations); valid choices: conv0 (14x14x16)'],
  ])('exits 2 for %s, naming method.layer and the valid choices, writing nothing', async (_what, layer, message) => {
    const file = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(file, [
      'name: bad', 'plugins: ["@contrastive/plugin-dim"]', 'data: { use: synthetic, batchSize: 8, trainCount: 16, testCount: 8 }',
      `method: { use: dim, layer: ${layer} }`, 'encoder: { use: convnet, channels: [16, 32, 32, 32, 32], embeddingDim: 8 }',
      'train: { steps: 1 }',
    ].join('\n'));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dim-out-'));
    try {
      const r = await run(['train', file, ...noOutputs(out), '--json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(fs.readdirSync(out)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('exits 2 for a projection head, which dim would not use, writing nothing', async () => {
    const file = path.join(tmp, 'head.yaml');
    fs.writeFileSync(file, [
      'name: head', 'plugins: ["@contrastive/plugin-dim"]', 'data: { use: synthetic, batchSize: 8, trainCount: 16, testCount: 8 }',
      'method: { use: dim }', 'head: { use: mlp }', 'train: { steps: 1 }',
    ].join('\n'));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dim-head-'));
    try {
      const r = await run(['train', file, ...noOutputs(out), '--json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('head: dim scores through its own critic');
      expect(fs.readdirSync(out)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('points at the file and line of an invalid option', async () => {
    const file = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(file, [
      'name: bad', 'plugins: ["@contrastive/plugin-dim"]', 'data: { use: synthetic }',
      'method:', '  use: dim', '  alpha: -2', '  estimator: mine', 'train: { steps: 1 }',
    ].join('\n'));
    const r = await run(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.yaml:6: method.alpha: must be >= 0 (got -2)');
    expect(r.stderr).toContain('bad.yaml:7: method.estimator: must be one of: infonce, jsd, dv, nce (got "mine")');
  });

  it('lets the baseline method use the critic and the jsd estimator as its score and loss', async () => {
    const file = path.join(tmp, 'reuse.yaml');
    fs.writeFileSync(file, [
      'name: reuse', 'plugins: ["@contrastive/plugin-dim"]', 'data: { use: synthetic, batchSize: 16, trainCount: 64, testCount: 16 }',
      'method: { use: infonce }', 'encoder: { use: convnet, channels: [8, 8], embeddingDim: 8 }',
      'score: { use: dim-critic, units: 16 }', 'loss: { use: jsd }', `train: { steps: 2, outputDir: ${tmp}/runs }`,
      'tracking: { uri: none }',
    ].join('\n'));
    const r = await run(['train', file, '--json']);
    expect(r.code).toBe(0);
    expect(r.last()).toMatchObject({ status: 'FINISHED', steps: 2 });
    expect(Number.isFinite(r.last().finalLoss)).toBe(true);
  });
});
