import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileStore, MlflowRestClient } from '@contrastive/mlflow-client';
import { describeWithServer, mlflowTestServer, serverTools } from '../../mlflow-client/src/test-helpers';
import { runCli } from './run-cli';

const run = runCli;

const config = (extra: string[] = []) => [
  'name: sync-test',
  'data: { use: synthetic, batchSize: 16, trainCount: 64, testCount: 16 }',
  'encoder: { use: mlp, hidden: [8], embeddingDim: 8 }',
  'train: { steps: 4, outputDir: out, logEvery: 2 }',
  ...extra,
].join('\n');

describe('contrastive mlflow sync', () => {
  let dir: string;
  const saved = process.env.MLFLOW_TRACKING_URI;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-sync-'));
    delete process.env.MLFLOW_TRACKING_URI;
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (saved !== undefined) process.env.MLFLOW_TRACKING_URI = saved;
  });

  it.each([
    [['mlflow', 'sync', '.'], /say where to push with --to <uri>/],
    [['mlflow', 'sync', 'nowhere', '--to', 'mlruns2'], /mlflow sync: .*nowhere: no such file or folder/],
    [['mlflow', 'sync', '.', '--to', 'sqlite:///mlflow.db'], /only http\(s\):\/\/ servers and local file stores .*mlflow server --backend-store-uri sqlite:\/\/\/mlflow\.db/],
    [['mlflow', 'sync', '.', '--to', 'mlruns2'], /holds no MLflow spool \(mlflow-spool\/\) and no file store runs/],
  ])('exits 2 on bad arguments: %j', async (argv, message) => {
    const r = await run(argv, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('pushes the spool of a run whose server was unreachable into a file store, once', async () => {
    fs.writeFileSync(path.join(dir, 'c.yaml'), config([`tracking: { uri: "http://127.0.0.1:${await serverTools.freePort()}", waitAtEndSeconds: 0 }`]));
    const trained = await run(['train', 'c.yaml', '--json', '--quiet'], dir);
    expect(trained.code).toBe(0);
    expect(trained.stderr).toMatch(/push them with `contrastive mlflow sync .*mlflow-spool --to http:\/\/127\.0\.0\.1:\d+`/);
    const summary = JSON.parse(trained.stdout.trim().split('\n').pop()!);

    const first = await run(['mlflow', 'sync', 'out', '--to', 'pushed', '--json'], dir);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout.trim().split('\n').pop()!);
    expect(report).toMatchObject({ complete: true, runs: [{ kind: 'spool', left: 0 }] });
    expect(report.runs[0].sent).toBeGreaterThan(4);
    const second = await run(['mlflow', 'sync', 'out', '--to', 'pushed'], dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/1 of 1 run complete on pushed/);
    expect(second.stderr).toMatch(/\(0 records sent\)/);

    const store = new FileStore(path.join(dir, 'pushed'));
    const [pushed] = store.listRuns(store.getExperimentByName('Default')!.experiment_id);
    expect(pushed.info.status).toBe('FINISHED');
    expect((await store.getMetricHistory(pushed.info.run_id, 'loss')).map((m) => m.step)).toEqual([1, 2, 3, 4]);
    expect(pushed.data.tags.find((t) => t.key === 'contrastive.sync_id')!.value).toBe(summary.runId);
  });
});

describeWithServer('contrastive mlflow sync to a real MLflow server', () => {
  let dir: string;
  let uri: string;
  beforeAll(async () => {
    uri = await mlflowTestServer();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-sync-server-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('pushes local ./mlruns runs to the server; syncing twice creates no duplicates', async () => {
    const experiment = `cli-sync-${Date.now()}`;
    fs.writeFileSync(path.join(dir, 'c.yaml'), config([`tracking: { experiment: ${experiment} }`]));
    const env = { ...process.env };
    delete process.env.MLFLOW_TRACKING_URI;
    expect((await run(['train', 'c.yaml', '--quiet'], dir)).code).toBe(0);
    expect((await run(['train', 'c.yaml', '--quiet'], dir)).code).toBe(0);
    process.env = env;
    const first = await run(['mlflow', 'sync', 'mlruns', '--to', uri], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`2 of 2 runs complete on ${uri}`));
    const second = await run(['mlflow', 'sync', 'mlruns', '--to', uri], dir);
    expect(second.code).toBe(0);
    expect(second.stderr.match(/\(0 metric values sent\)/g)).toHaveLength(2);

    const rest = new MlflowRestClient(uri);
    const exp = (await rest.getExperimentByName(experiment))!;
    const runs = await rest.searchRuns([exp.experiment_id]);
    expect(runs).toHaveLength(2);
    for (const r of runs) {
      const loss = await rest.getMetricHistory(r.info.run_id, 'loss');
      expect(loss.map((m) => m.step).sort()).toEqual([1, 2, 3, 4]);
      expect(r.info.status).toBe('FINISHED');
    }
  });
});
