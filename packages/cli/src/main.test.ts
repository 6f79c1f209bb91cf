import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FRAMEWORK_API_VERSION } from '@contrastive/framework';
import { runCli } from './run-cli';

const fixturePlugins = path.resolve(__dirname, '../../framework/test/fixtures/plugins');

const run = runCli;

const valid = [
  'name: cli-test',
  'seed: 1',
  'data: { use: synthetic, batchSize: 32, trainCount: 128, testCount: 32 }',
  'encoder: { use: convnet, channels: [8], embeddingDim: 8 }',
  'train: { steps: 3, outputDir: out }',
].join('\n');

describe('contrastive CLI', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(name: string, text: string): string {
    fs.writeFileSync(path.join(dir, name), text);
    return name;
  }

  it('trains and prints one JSON summary as the last line', async () => {
    const r = await run(['train', write('ok.yaml', valid), '--json', '--quiet'], dir);
    expect(r.code).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(last).toMatchObject({ status: 'FINISHED', steps: 3, totalSteps: 3 });
    expect(Number.isFinite(last.finalLoss)).toBe(true);
    expect(last.examplesPerSecond).toBeGreaterThan(0);
    expect(typeof last.backend).toBe('string');
    expect(fs.existsSync(path.join(last.checkpoint, 'state.json'))).toBe(true);
  });

  it('applies --set overrides', async () => {
    const r = await run(['train', write('ok.yaml', valid), '--set', 'train.steps=2', '--json', '--quiet'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!).steps).toBe(2);
  });

  const badCases: Array<[string, string, string[], RegExp]> = [
    ['wrong type', valid.replace('seed: 1', 'seed: "one"'), [], /bad\.yaml:2: seed: must be an integer/],
    ['unknown key', `${valid}\ncolour: blue`, [], /bad\.yaml:6: .*unknown key "colour"/],
    ['unknown component name', valid.replace('use: convnet', 'use: resnet-9000'), [], /bad\.yaml:4: encoder.*unknown encoder "resnet-9000"/],
    ['missing plugin package', `plugins: ["@contrastive/plugin-nope"]\n${valid}`, [], /bad\.yaml:1: plugins\[0\]: plugin package "@contrastive\/plugin-nope" is not installed/],
    ['incompatible plugin', `plugins: ["@fixture/plugin-incompatible"]\n${valid}`, [], /bad\.yaml:1: plugins\[0\]: plugin @fixture\/plugin-incompatible@\S+ supports framework API \^99\.0\.0, but this framework is \d+\.\d+\.\d+/],
    ['zero batch size', valid.replace('batchSize: 32', 'batchSize: 0'), [], /bad\.yaml:3: data\.batchSize: must be >= 1 \(got 0\)/],
    ['negative batch size', valid.replace('batchSize: 32', 'batchSize: -4'), [], /data\.batchSize: must be >= 1 \(got -4\)/],
    ['malformed YAML', `${valid}\ntrain: [unclosed`, [], /bad\.yaml:6/],
    ['bad --set (no =)', valid, ['--set', 'train.steps'], /--set "train\.steps": expected path=value/],
    ['bad --set (type)', valid, ['--set', 'train.steps=many'], /train\.steps \(from --set train\.steps=many\): must be an integer/],
  ];

  it.each(badCases)('exits 2 on %s, naming where, and writes nothing', async (_name, text, extra, message) => {
    if (text.includes('@fixture/')) {
      fs.cpSync(path.join(fixturePlugins, 'node_modules'), path.join(dir, 'node_modules'), { recursive: true });
    }
    const r = await run(['train', write('bad.yaml', text), ...extra, '--json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!).status).toBe('INVALID');
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('exits 2 for a missing config file, naming it', async () => {
    const r = await run(['train', 'nowhere.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config file not found: .*nowhere\.yaml/);
  });

  it('exits 2 for an unknown command or option', async () => {
    expect((await run(['trian', 'x.yaml'], dir)).code).toBe(2);
    expect((await run(['train', write('ok.yaml', valid), '--epochz', '3'], dir)).code).toBe(2);
  });

  it('validates without training', async () => {
    const r = await run(['validate', write('ok.yaml', valid)], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid\. method infonce = encoder convnet, positives two-views, negatives in-batch, score cosine, loss infonce/);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('prints a starter config that validates', async () => {
    const r = await run(['init', 'infonce'], dir);
    expect(r.code).toBe(0);
    const v = await run(['validate', write('init.yaml', r.stdout)], dir);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
  });

  it('prints the composed JSON Schema with every built-in component', async () => {
    const r = await run(['schema'], dir);
    expect(r.code).toBe(0);
    const text = r.stdout;
    for (const name of ['convnet', 'resnet-mini', 'mlp', 'cosine', 'bilinear', 'infonce', 'nce', 'two-views', 'in-batch', 'fashion-mnist', 'image-folder', 'cutout', 'sgd', 'adam']) {
      expect(text).toContain(`"${name}"`);
    }
    expect(JSON.parse(text).type).toBe('object');
  });

  it('lists plugins: loadable ones with their components, broken ones with the reason', async () => {
    fs.cpSync(path.join(fixturePlugins, 'node_modules'), path.join(dir, 'node_modules'), { recursive: true });
    for (const name of ['plugin-good', 'plugin-incompatible']) {
      // Discovery goes by name (@contrastive/plugin-*) or by this keyword.
      const file = path.join(dir, 'node_modules', '@fixture', name, 'package.json');
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), keywords: ['contrastive-plugin'] }));
    }
    const r = await run(['plugins', '--json'], dir);
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout.trim());
    expect(listed.frameworkApi).toBe(FRAMEWORK_API_VERSION);
    expect(listed.builtin).toContain('method:infonce');
    const byName = Object.fromEntries(listed.plugins.map((p: { name: string }) => [p.name, p]));
    expect(byName['@fixture/plugin-good']).toMatchObject({ status: 'ok', version: '1.2.3', components: ['score:fixture-score'] });
    expect(byName['@fixture/plugin-incompatible'].status).toBe('error');
    expect(byName['@fixture/plugin-incompatible'].error).toMatch(/\^99\.0\.0/);
    expect(byName['@fixture/plugin-no-manifest']).toBeUndefined();
  });
});

describe('shipped configs', () => {
  const repo = path.resolve(__dirname, '../../..');

  it.each(fs.readdirSync(path.join(repo, 'configs')).filter((f) => /\.ya?ml$/.test(f)))('configs/%s validates', async (file) => {
    const r = await run(['validate', path.join('configs', file)], repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('the quickstart trains on Fashion-MNIST with a loss that falls, then evaluates against both baselines (on a 2,560-image subset)', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-qs-'));
    try {
      const r = await run(['train', path.join(repo, 'configs/quickstart.yaml'), '--set', 'data.limit=2560', '--set', `train.outputDir=${out}`, '--set', `tracking.uri=${out}/mlruns`, '--json', '--quiet'], repo);
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
      expect(summary.steps).toBe(40); // 4 epochs of 10 batches
      expect(Number.isFinite(summary.finalLoss)).toBe(true);
      expect(summary.finalLoss).toBeLessThan(summary.firstLoss);
      for (const key of ['linear.top1', 'knn.top1', 'untrained.linear.top1', 'raw_pixels.knn.top1']) {
        expect({ key, ok: summary.eval.metrics[key] > 0.1 && summary.eval.metrics[key] <= 1 }).toEqual({ key, ok: true });
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
