import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '@contrastive/cli';
import { createRegistry, loadPlugins } from '@contrastive/framework';
import amdimPlugin from './index';

/**
 * The plugin as users meet it: loaded by package name (the workspace links
 * node_modules/@contrastive/plugin-amdim to this package; the loader imports its build, which
 * `npm test` makes first), and through the `contrastive` command.
 */

// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require('../package.json') as { name: string; version: string };
const repo = path.resolve(__dirname, '../../..');
const recipe = 'configs/amdim-fashion-mnist.yaml';
const components = ['method:amdim'];

const run = (argv: string[], cwd = repo) => runCli(argv, cwd);

describe('@contrastive/plugin-amdim', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amdim-plugin-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('has a manifest named and versioned like its package, for framework API 1.2', () => {
    expect(amdimPlugin.name).toBe('@contrastive/plugin-amdim');
    expect(amdimPlugin.version).toBe(pkg.version);
    expect(amdimPlugin.frameworkApi).toBe('^1.2.0');
  });

  it('loads by package name and registers its components', () => {
    const registry = createRegistry();
    const [loaded] = loadPlugins([pkg.name], registry, { resolveFrom: [repo] });
    expect(loaded).toMatchObject({ name: pkg.name, version: pkg.version, frameworkApi: '^1.2.0' });
    expect([...loaded.components].sort()).toEqual(components);
    expect(registry.get('method', 'amdim').source).toBe(pkg.name);
  });

  it('gives `contrastive init dim` a starter config that validates', async () => {
    const init = await run(['init', 'amdim']);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/use: amdim/);
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
    ['method.clip', '0', 'must be > 0 (got 0)'],
    ['method.clip', '-3', 'must be > 0 (got -3)'],
    ['method.penaltyWeight', '-1', 'must be >= 0 (got -1)'],
    ['method.comparisons', '[]', 'must have at least 1 item'],
  ])('exits 2 naming the JSON path for --set %s=%s, writing nothing', async (where, value, message) => {
    const r = await run(['train', recipe, '--set', `${where}=${value}`, ...noOutputs(tmp), '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`amdim-fashion-mnist.yaml: ${where} (from --set ${where}=${value}): ${message}`);
    expect(r.last().status).toBe('INVALID');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('exits 2 for a comparison naming a scale the encoder does not produce, listing the valid scales, writing nothing', async () => {
    const file = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(file, [
      'name: bad', 'plugins: ["@contrastive/plugin-amdim"]', 'data: { use: synthetic, batchSize: 8, trainCount: 16, testCount: 8 }',
      'method: { use: amdim, comparisons: [{ from: global, to: conv1 }, { from: conv1, to: stage5 }] }',
      'encoder: { use: convnet, channels: [16, 32], embeddingDim: 8 }', 'train: { steps: 1 }',
    ].join('\n'));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'amdim-out-'));
    try {
      const r = await run(['train', file, ...noOutputs(out), '--json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('method.comparisons[1].to: the encoder has no scale "stage5"; valid scales: global (1x1x8), conv0 (14x14x16), conv1 (7x7x32)');
      expect(fs.readdirSync(out)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('exits 2 for a projection head, which amdim would not use, writing nothing', async () => {
    const file = path.join(tmp, 'head.yaml');
    fs.writeFileSync(file, [
      'name: head', 'plugins: ["@contrastive/plugin-amdim"]', 'data: { use: synthetic, batchSize: 8, trainCount: 16, testCount: 8 }',
      'method: { use: amdim }', 'head: { use: mlp }', 'train: { steps: 1 }',
    ].join('\n'));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'amdim-head-'));
    try {
      const r = await run(['train', file, ...noOutputs(out), '--json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('head: amdim embeds every scale itself');
      expect(fs.readdirSync(out)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('points at the file and line of an invalid option', async () => {
    const file = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(file, [
      'name: bad', 'plugins: ["@contrastive/plugin-amdim"]', 'data: { use: synthetic }',
      'method:', '  use: amdim', '  clip: 0', '  penaltyWeight: -2', 'train: { steps: 1 }',
    ].join('\n'));
    const r = await run(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.yaml:6: method.clip: must be > 0 (got 0)');
    expect(r.stderr).toContain('bad.yaml:7: method.penaltyWeight: must be >= 0 (got -2)');
  });
});
