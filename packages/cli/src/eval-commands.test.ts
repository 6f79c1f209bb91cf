import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from './run-cli';

const run = runCli;

const config = [
  'name: cli-eval',
  'seed: 2',
  'data: { use: synthetic, batchSize: 32, numClasses: 4, height: 16, width: 16, trainCount: 256, testCount: 96 }',
  'encoder: { use: convnet, channels: [8], embeddingDim: 8 }',
  'train: { steps: 4 }',
  'tracking: { experiment: cli-tests }',
  'eval:',
  '  linearProbe: { epochs: 10, patience: 2 }',
  '  knn: { k: 5 }',
  '  labelEfficiency: { fractions: [0.1] }',
  '  plot: { maxPoints: 60, epochs: 20, width: 300, height: 220 }',
].join('\n');

describe('contrastive train with eval:, eval and report', () => {
  let dir: string;
  let summary: { runId: string; runDir: string; eval: { evalId: string; evalDir: string; metrics: Record<string, number>; plot: string } };
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-cli-eval-'));
    fs.writeFileSync(path.join(dir, 'eval.yaml'), config);
    const r = await run(['train', 'eval.yaml', '--json', '--quiet'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    summary = r.last();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('train runs the eval block after training and puts its metrics in the JSON summary', () => {
    expect(summary.eval.metrics['linear.top1']).toBeGreaterThan(0);
    expect(summary.eval.metrics['untrained.knn.top1']).toBeGreaterThan(0);
    expect(summary.eval.metrics['delta_raw_pixels.label_10pct.top1']).toBeDefined();
    expect(fs.existsSync(summary.eval.plot)).toBe(true);
    expect(path.dirname(summary.eval.evalDir)).toBe(path.join(summary.runDir, 'evals'));
    expect(fs.existsSync(path.join(summary.eval.evalDir, 'eval.json'))).toBe(true);
  });

  it('records the eval as an MLflow run nested under the training run (default file store)', () => {
    const mlruns = path.join(dir, 'mlruns');
    const parentTag = fs.readdirSync(mlruns)
      .map((exp) => path.join(mlruns, exp, summary.eval.evalId, 'tags', 'mlflow.parentRunId'))
      .find((f) => fs.existsSync(f));
    expect(parentTag).toBeDefined();
    expect(fs.readFileSync(parentTag!, 'utf8')).toBe(summary.runId);
  });

  it('eval --run <id> evaluates again, with --set and --representation, and prints a table or JSON', async () => {
    const id = summary.runId.slice(-6);
    const json = await run(['eval', '--run', id, '--set', 'eval.knn.k=3', '--representation', 'conv0', '--json', '--quiet'], dir);
    expect(json.code).toBe(0);
    expect(json.last()).toMatchObject({ runId: summary.runId, status: 'FINISHED', representation: 'conv0', step: 4 });
    const text = await run(['eval', '--run', summary.runId, '--set', 'eval.plot=false', '--set', 'eval.baselines=false'], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`of run ${summary.runId} \\(infonce, encoder convnet, step 4\\), representation global`));
    expect(text.stdout).toMatch(/kNN top-1 \(k=5\)\s+\d+\.\d\d%/);
    expect(text.stderr).toMatch(/evaluating .* 256 train \/ 96 test images, 4 classes/);
  });

  it('report writes the Markdown comparison of an experiment to stdout or a file', async () => {
    const r = await run(['report', '--experiment', 'cli-tests'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# Experiment `cli-tests`');
    expect(r.stdout).toContain(`| \`${summary.runId}\` | infonce | convnet | – | 4 steps × 32 (128 images) |`);
    const f = await run(['report', '--experiment', 'cli-tests', '--out', 'reports/cli.md'], dir);
    expect(f.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'reports/cli.md'), 'utf8')).toBe(r.stdout);
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['a run id that does not exist', ['eval', '--run', 'no-such-run'], /--run no-such-run: no run with this id under .*runs.*; runs there: cli-eval-/],
    ['a representation the encoder does not have', ['eval', '--run', 'RUN', '--representation', 'conv3'],
      /eval\.representation: "conv3" is not a representation of the infonce method and its encoder; known representations: global, conv0, projection$/m],
    ['an invalid eval option', ['eval', '--run', 'RUN', '--set', 'eval.knn.temperature=-1'], /eval\.knn\.temperature \(from --set eval\.knn\.temperature=-1\): must be > 0/],
    ['a missing --run', ['eval'], /required option '--run <run-id>' not specified/],
    ['an experiment without runs', ['report', '--experiment', 'nope'], /--experiment nope: no runs of this experiment under .*\(experiments there: cli-tests\)/],
  ];
  it.each(bad)('exits 2 for %s, saying what is wrong', async (_name, argv, message) => {
    const r = await run(argv.map((a) => (a === 'RUN' ? summary.runId : a)), dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('exits 2 for a run with no checkpoint', async () => {
    const empty = path.join(dir, 'runs', 'cli-eval-nockpt');
    fs.mkdirSync(empty, { recursive: true });
    fs.copyFileSync(path.join(summary.runDir, 'config.resolved.json'), path.join(empty, 'config.resolved.json'));
    const r = await run(['eval', '--run', 'nockpt'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/run cli-eval-nockpt has no checkpoint \(nothing under .*checkpoints\); only a run that saved a checkpoint can be evaluated/);
    fs.rmSync(empty, { recursive: true });
  });

  it('train and validate refuse a bad eval block before training, naming file, line and path', async () => {
    fs.writeFileSync(path.join(dir, 'bad.yaml'), config.replace('knn: { k: 5 }', 'knn: { k: 0 }'));
    const before = fs.readdirSync(path.join(dir, 'runs')).length;
    const t = await run(['train', 'bad.yaml', '--json'], dir);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/bad\.yaml:9: eval\.knn\.k: must be >= 1 \(got 0\)/);
    expect(fs.readdirSync(path.join(dir, 'runs')).length).toBe(before);
    const v = await run(['validate', 'bad.yaml'], dir);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/bad\.yaml:9: eval\.knn\.k/);
  });

  it('schema includes the eval options with their defaults', async () => {
    const r = await run(['schema'], dir);
    const evalSchema = JSON.parse(r.stdout).properties.eval;
    expect(evalSchema.properties.knn.properties.k.default).toBe(20);
    expect(evalSchema.properties.linearProbe.properties.weightDecay.default).toBe(1e-4);
    expect(evalSchema.additionalProperties).toBe(false);
  });
});
