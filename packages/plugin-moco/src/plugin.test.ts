import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '@contrastive/cli';
import { createRegistry, FRAMEWORK_API_VERSION, loadPlugins } from '@contrastive/framework';
import * as semver from 'semver';
import mocoPlugin from './index';

/**
 * The plugin as users meet it: loaded by package name (the workspace links
 * node_modules/@contrastive/plugin-moco to this package; the loader imports its build, which
 * `npm test` makes first), and through the `contrastive` command.
 */

// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require('../package.json') as { name: string; version: string };
const repo = path.resolve(__dirname, '../../..');
const recipe = 'configs/moco-fashion-mnist.yaml';

const run = (argv: string[], cwd = repo) => runCli(argv, cwd);

const components = ['method:moco', 'negatives:queue', 'encoder:momentum-encoder', 'augment:gaussian-blur', 'augment:random-grayscale'];

describe('@contrastive/plugin-moco', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'moco-plugin-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('has a manifest named and versioned like its package, for this framework API', () => {
    expect(mocoPlugin.name).toBe('@contrastive/plugin-moco');
    expect(mocoPlugin.name).toBe(pkg.name);
    expect(mocoPlugin.version).toBe(pkg.version);
    // It needs the `head` component (framework API 1.1) and accepts the running framework.
    expect(semver.minVersion(mocoPlugin.frameworkApi)?.version).toBe('1.1.0');
    expect(semver.satisfies(FRAMEWORK_API_VERSION, mocoPlugin.frameworkApi)).toBe(true);
  });

  it('loads by package name and registers its components', () => {
    const registry = createRegistry();
    const [loaded] = loadPlugins([pkg.name], registry, { resolveFrom: [repo] });
    expect(loaded).toMatchObject({ name: pkg.name, version: pkg.version, frameworkApi: mocoPlugin.frameworkApi });
    expect([...loaded.components].sort()).toEqual([...components].sort());
    expect(registry.get('method', 'moco').source).toBe(pkg.name);
  });

  it('is listed by `contrastive plugins`', async () => {
    const r = await run(['plugins', '--json']);
    expect(r.code).toBe(0);
    const row = JSON.parse(r.stdout).plugins.find((p: { name: string }) => p.name === pkg.name);
    expect(row).toMatchObject({ status: 'ok', version: pkg.version });
    expect([...row.components].sort()).toEqual([...components].sort());
  });

  it('gives `contrastive init moco` a starter config that validates', async () => {
    const init = await run(['init', 'moco']);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/plugins:\n\s+- "?@contrastive\/plugin-moco"?/);
    expect(init.stdout).toMatch(/negatives:\n\s+use: queue/);
    fs.writeFileSync(path.join(tmp, 'starter.yaml'), init.stdout);
    const validate = await run(['validate', path.join(tmp, 'starter.yaml'), '--json']);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
  });

  it('ships the same recipe in the package and in the repository\'s configs/', () => {
    const here = fs.readFileSync(path.join(__dirname, '..', recipe), 'utf8');
    expect(fs.readFileSync(path.join(repo, recipe), 'utf8')).toBe(here);
  });

  it.each([
    ['method.queueSize', '-5', 'must be >= 1 (got -5)'],
    ['method.queueSize', '0', 'must be >= 1 (got 0)'],
    ['method.momentum', '1.5', 'must be <= 1 (got 1.5)'],
    ['method.momentum', '-0.1', 'must be >= 0 (got -0.1)'],
    ['method.temperature', '0', 'must be > 0 (got 0)'],
    ['method.temperature', '-0.2', 'must be > 0 (got -0.2)'],
    ['method.batchNorm', 'sync', 'must be one of: shuffle, split, global (got "sync")'],
  ])('exits 2 naming the JSON path for --set %s=%s, before training', async (where, value, message) => {
    const r = await run(['train', recipe, '--set', `${where}=${value}`, '--set', `train.outputDir=${tmp}`, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`moco-fashion-mnist.yaml: ${where} (from --set ${where}=${value}): ${message}`);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!).status).toBe('INVALID');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('points at the file and line of an invalid option', async () => {
    const file = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(file, [
      'name: bad', 'plugins: ["@contrastive/plugin-moco"]', 'data: { use: synthetic }',
      'method:', '  use: moco', '  queueSize: -1', '  temperature: 0', 'train: { steps: 1 }',
    ].join('\n'));
    const r = await run(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.yaml:6: method.queueSize: must be >= 1 (got -1)');
    expect(r.stderr).toContain('bad.yaml:7: method.temperature: must be > 0 (got 0)');
  });
});
