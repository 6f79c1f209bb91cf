import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MlflowRestClient, ServerBackend, syncPath } from '@contrastive/mlflow-client';
import { describeWithServer, mlflowTestServer, runMlflowPython, serverTools } from '../../../mlflow-client/src/test-helpers';
import { useTestBackend } from '../test-helpers';
import { runTraining } from '../trainer/run-training';
import { MlflowTracker } from './mlflow-tracker';

const readRuns = path.resolve(__dirname, '../../../../tools/mlflow-server/read_runs.py');
const unique = (prefix: string) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}`;

function smallConfig(outputDir: string, tracking: Record<string, unknown>, steps = 6) {
  return {
    name: 'server-run',
    seed: 3,
    data: { use: 'synthetic', batchSize: 32, trainCount: 128, testCount: 32 },
    encoder: { use: 'convnet', channels: [8], embeddingDim: 8 },
    train: { steps, optimizer: { use: 'adam', lr: 0.002 }, outputDir, logEvery: 2 },
    tracking,
  };
}

describeWithServer('MLflow tracker against a real MLflow tracking server', () => {
  let uri: string;
  let rest: MlflowRestClient;
  let tmp: string;
  let notices: string[];
  const log = { write: (s: string) => notices.push(...s.split('\n').filter(Boolean)) } as unknown as NodeJS.WritableStream;
  const train = (raw: unknown) => runTraining({ raw, cwd: tmp, env: {}, log });

  beforeAll(async () => {
    await useTestBackend();
    uri = await mlflowTestServer();
    rest = new MlflowRestClient(uri);
  });
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-tracker-'));
    notices = [];
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("records a training run that Python's mlflow client reads back: params, per-step metrics, tags, artifacts, FINISHED", async () => {
    const experiment = unique('train');
    const summary = await train(smallConfig(tmp, { uri, experiment }));
    expect(summary.status).toBe('FINISHED');
    const { runs: [py] } = runMlflowPython(readRuns, [uri, summary.runId]) as { runs: Record<string, any>[] };
    expect(py).toMatchObject({ run_id: summary.runId, run_name: 'server-run', status: 'FINISHED', experiment });
    expect(py.params).toMatchObject({ 'train.optimizer.lr': '0.002', 'data.use': 'synthetic', 'encoder.channels.0': '8', 'tracking.experiment': experiment });
    expect(py.metrics.loss.map((m: { step: number }) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(py.metrics.loss[5].value).toBeCloseTo(summary.finalLoss!, 5);
    expect(py.metrics.lr).toHaveLength(6);
    expect(py.metrics.examples_per_second.every((m: { value: number }) => m.value > 0)).toBe(true);
    expect(py.tags).toMatchObject({
      'mlflow.runName': 'server-run', 'mlflow.source.type': 'LOCAL', backend: summary.backend, 'contrastive.run_dir': summary.runDir,
    });
    expect(py.tags['mlflow.user']).toBeTruthy();
    expect(py.tags['mlflow.note.content']).toMatch(/server-run/);
    expect(py.artifacts.map((a: { path: string }) => a.path)).toEqual([
      'checkpoints/step-00000006/state.json', 'checkpoints/step-00000006/weights.bin', 'config.resolved.json', 'plots/loss-steps-1-6.svg',
    ]);
    expect(py.artifacts[1].size).toBe(fs.statSync(path.join(summary.checkpoint!, 'weights.bin')).size);
    expect(py.inputs).toEqual([expect.objectContaining({ name: 'synthetic-train', tags: { 'mlflow.data.context': 'training' } })]);
    expect(notices.join('\n')).toMatch(new RegExp(`MLflow run ${summary.runId} FINISHED, recorded in ${uri}/#/experiments/\\d+/runs/${summary.runId}`));
  });

  it("records a training run in the default file store that Python's mlflow client reads the same way", async () => {
    const summary = await train(smallConfig(tmp, {}, 4));
    const { runs: [py] } = runMlflowPython(readRuns, [`file://${path.join(tmp, 'mlruns')}`, summary.runId]) as { runs: Record<string, any>[] };
    expect(py).toMatchObject({ run_id: summary.runId, status: 'FINISHED', experiment: 'Default' });
    expect(py.params).toMatchObject({ 'train.optimizer.lr': '0.002', 'train.steps': '4' });
    expect(py.metrics.loss.map((m: { step: number }) => m.step)).toEqual([1, 2, 3, 4]);
    expect(py.metrics.loss[3].value).toBeCloseTo(summary.finalLoss!, 5);
    expect(py.tags).toMatchObject({ 'mlflow.runName': 'server-run', backend: summary.backend });
    expect(py.artifacts.map((a: { path: string }) => a.path)).toEqual([
      'checkpoints/step-00000004/state.json', 'checkpoints/step-00000004/weights.bin', 'config.resolved.json', 'plots/loss-steps-1-4.svg',
    ]);
    expect(py.inputs).toEqual([expect.objectContaining({ name: 'synthetic-train' })]);
  });

  it('nests an eval run under its training run (mlflow.parentRunId)', async () => {
    const experiment = unique('nest');
    const trainRun = new MlflowTracker({ uri, experiment, runDir: path.join(tmp, 'train'), notice: () => undefined });
    const parent = await trainRun.start({ name: 'train', tags: {} });
    await trainRun.end('FINISHED');
    const evalRun = new MlflowTracker({ uri, experiment, runDir: path.join(tmp, 'eval'), notice: () => undefined });
    const child = await evalRun.start({ name: 'eval', tags: {}, parentRunId: parent });
    evalRun.logMetrics({ 'knn/top1': 0.61 }, 0);
    await evalRun.end('FINISHED');
    const { runs: [py] } = runMlflowPython(readRuns, [uri, child]) as { runs: Record<string, any>[] };
    expect(py.tags['mlflow.parentRunId']).toBe(parent);
    expect(py.metrics['knn/top1']).toEqual([expect.objectContaining({ step: 0, value: 0.61 })]);
  });

  it('an unreachable URI: training finishes, says where the records are, and sync pushes them all later, once', async () => {
    const down = `http://127.0.0.1:${await serverTools.freePort()}`;
    const summary = await train(smallConfig(tmp, { uri: down, experiment: unique('offline'), waitAtEndSeconds: 0.5 }, 8));
    expect(summary.status).toBe('FINISHED');
    expect(summary.steps).toBe(8);
    const text = notices.join('\n');
    expect(text).toMatch(new RegExp(`MLflow server ${down} is unreachable \\(ECONNREFUSED\\).*training goes on, records are spooled to .*mlflow-spool`));
    expect(text).toMatch(/records of run [0-9a-f]{32} did not reach .*kept in .*mlflow-spool; push them with `contrastive mlflow sync .*mlflow-spool --to http:\/\/127\.0\.0\.1:\d+`/);

    const target = new ServerBackend(uri);
    const [first] = await syncPath(summary.runDir, target);
    expect(first).toMatchObject({ kind: 'spool', left: 0 });
    expect(first.error).toBeUndefined();
    const [second] = await syncPath(summary.runDir, target);
    expect(second).toMatchObject({ sent: 0, left: 0 });
    const { runs: [py] } = runMlflowPython(readRuns, [uri, first.targetRunId!]) as { runs: Record<string, any>[] };
    expect(py.status).toBe('FINISHED');
    expect(py.metrics.loss.map((m: { step: number }) => m.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(py.params['train.steps']).toBe('8');
    expect(py.artifacts.map((a: { path: string }) => a.path)).toContain('config.resolved.json');
  });

  it('a deleted experiment: says how to restore it, training goes on, and nothing is lost', async () => {
    const experiment = unique('deleted');
    const expId = await rest.createExperiment(experiment);
    await rest.deleteExperiment(expId);
    const summary = await train(smallConfig(tmp, { uri, experiment, waitAtEndSeconds: 0 }, 4));
    expect(summary.status).toBe('FINISHED');
    expect(notices.join('\n')).toMatch(new RegExp(`experiment "${experiment}" \\(id ${expId}\\) .* was deleted.*mlflow experiments restore --experiment-id ${expId}.*Training goes on`));
    await rest.restoreExperiment(expId);
    const [synced] = await syncPath(summary.runDir, new ServerBackend(uri));
    expect(synced.error).toBeUndefined();
    const history = await rest.getMetricHistory(synced.targetRunId!, 'loss');
    expect(history.map((m) => m.step).sort()).toEqual([1, 2, 3, 4]);
    expect((await rest.getRun(synced.targetRunId!)).info.experiment_id).toBe(expId);
  });

  it('a param over the server size limit: a clear message, the full value kept as an artifact, every other param intact', async () => {
    const tracker = new MlflowTracker({ uri, experiment: unique('big'), runDir: tmp, notice: (l) => notices.push(l) });
    const runId = await tracker.start({ name: 'big', tags: {} });
    const big = 'abc'.repeat(2500);
    tracker.logParams({ small: '1', big, 'bad key!': 'x', other: 'two' });
    tracker.logMetrics({ loss: 0.5 }, 1);
    await tracker.end('FINISHED');
    expect(notices.join('\n')).toMatch(/param "big" is 7500 characters, over MLflow's limit of 6000: recorded truncated; the full value is the artifact long-params\/big\.txt/);
    expect(notices.join('\n')).toMatch(/param "bad key!" not recorded: keys may only contain/);
    const run = await rest.getRun(runId);
    const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
    expect(params).toEqual({ small: '1', other: 'two', big: big.slice(0, 6000) });
    const full = await new ServerBackend(uri).artifacts.download(run.info.artifact_uri, 'long-params/big.txt');
    expect(full.toString()).toBe(big);
    expect(run.data.metrics).toEqual([expect.objectContaining({ key: 'loss', value: 0.5 })]);
  });

  it('NaN and infinite metrics: a clear message each, recorded as MLflow stores them, nothing else lost', async () => {
    const tracker = new MlflowTracker({ uri, experiment: unique('nan'), runDir: tmp, notice: (l) => notices.push(l) });
    const runId = await tracker.start({ name: 'nan', tags: {} });
    tracker.logMetrics({ loss: 0.9, probe_acc: NaN }, 1);
    tracker.logMetrics({ loss: 0.8, probe_acc: NaN }, 2);
    tracker.logMetrics({ loss: 0.7, probe_acc: Infinity }, 3);
    await tracker.end('FINISHED');
    const text = notices.join('\n');
    expect(text).toMatch(/metric "probe_acc": the value at step 1 is NaN; MLflow records it as NaN/);
    expect(text).toMatch(/metric "probe_acc": the value at step 3 is Infinity; MLflow records it as \+-1\.8e308/);
    expect(text.match(/is NaN/g)).toHaveLength(1);
    expect((await rest.getMetricHistory(runId, 'loss')).map((m) => m.value)).toEqual([0.9, 0.8, 0.7]);
    const acc = await rest.getMetricHistory(runId, 'probe_acc');
    expect(acc.map((m) => m.step)).toEqual([1, 2, 3]);
    expect(Number.isNaN(acc[0].value)).toBe(true);
    expect(acc[2].value).toBeGreaterThan(1e300);
  });
});
