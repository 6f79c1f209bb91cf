import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MlflowApiError, MlflowExperimentDeletedError } from '../errors';
import { runMlflowPython, serverTools } from '../test-helpers';
import { FileStore } from './file-store';
import { formatMetricLine, parseMetricLines } from './layout';

const readRuns = path.resolve(__dirname, '../../../../tools/mlflow-server/read_runs.py');

describe('FileStore', () => {
  let tmp: string;
  let store: FileStore;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-fs-'));
    store = new FileStore(path.join(tmp, 'mlruns'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function sampleRun() {
    const exp = await store.getOrCreateExperiment('demo');
    const run = await store.createRun({ experimentId: exp.experiment_id, runName: 'first', startTime: 1_700_000_000_000, tags: [{ key: 'team', value: 'a' }] });
    await store.logBatch(run.run_id, {
      params: [{ key: 'train.optimizer.lr', value: '0.003' }, { key: 'data.use', value: 'synthetic' }],
      tags: [{ key: 'mlflow.note.content', value: '# note\nline two' }],
      metrics: [
        { key: 'loss', value: 2.5, timestamp: 1_700_000_000_100, step: 1 },
        { key: 'loss', value: 1.25, timestamp: 1_700_000_000_200, step: 2 },
        { key: 'eval/knn_top1', value: 0.75, timestamp: 1_700_000_000_300, step: 2 },
        { key: 'odd', value: NaN, timestamp: 1_700_000_000_300, step: 1 },
        { key: 'odd', value: Infinity, timestamp: 1_700_000_000_400, step: 2 },
      ],
    });
    await store.logInputs(run.run_id, [{ dataset: { name: 'synthetic', digest: 'abc123', source_type: 'code', source: '{}', profile: '{"num_rows": 256}' }, tags: [{ key: 'mlflow.data.context', value: 'training' }] }]);
    const file = path.join(tmp, 'config.json');
    fs.writeFileSync(file, '{"a": 1}');
    await store.logArtifact(run.run_id, file);
    fs.mkdirSync(path.join(tmp, 'ckpt'));
    fs.writeFileSync(path.join(tmp, 'ckpt', 'weights.bin'), Buffer.alloc(100, 7));
    await store.logArtifact(run.run_id, path.join(tmp, 'ckpt'), 'checkpoints');
    await store.updateRun(run.run_id, 'FINISHED', 1_700_000_001_000);
    return { exp, run };
  }

  it('writes the layout MLflow reads: meta.yaml files, metric lines, params, tags, artifacts', async () => {
    const { exp, run } = await sampleRun();
    const runDir = path.join(store.root, exp.experiment_id, run.run_id);
    expect(fs.existsSync(path.join(store.root, '0', 'meta.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(store.root, '.trash'))).toBe(true);
    expect(fs.readFileSync(path.join(runDir, 'metrics', 'loss'), 'utf8')).toBe('1700000000100 2.5 1\n1700000000200 1.25 2\n');
    expect(fs.readFileSync(path.join(runDir, 'metrics', 'odd'), 'utf8')).toBe('1700000000300 nan 1\n1700000000400 inf 2\n');
    expect(fs.readFileSync(path.join(runDir, 'metrics', 'eval', 'knn_top1'), 'utf8')).toContain(' 0.75 2');
    expect(fs.readFileSync(path.join(runDir, 'params', 'train.optimizer.lr'), 'utf8')).toBe('0.003');
    expect(fs.readFileSync(path.join(runDir, 'tags', 'mlflow.runName'), 'utf8')).toBe('first');
    const meta = fs.readFileSync(path.join(runDir, 'meta.yaml'), 'utf8');
    expect(meta).toMatch(/^status: 3$/m);
    expect(meta).toMatch(new RegExp(`^experiment_id: "${exp.experiment_id}"$|^experiment_id: '${exp.experiment_id}'$`, 'm'));
    expect(fs.existsSync(path.join(runDir, 'artifacts', 'checkpoints', 'ckpt', 'weights.bin'))).toBe(true);
  });

  it('reads back what it wrote', async () => {
    const { run } = await sampleRun();
    const back = await new FileStore(store.root).getRun(run.run_id);
    expect(back.info).toMatchObject({ status: 'FINISHED', run_name: 'first', end_time: 1_700_000_001_000 });
    expect(Object.fromEntries(back.data.params.map((p) => [p.key, p.value]))).toEqual({ 'train.optimizer.lr': '0.003', 'data.use': 'synthetic' });
    expect(back.data.metrics.find((m) => m.key === 'loss')).toMatchObject({ value: 1.25, step: 2 });
    expect((await store.getMetricHistory(run.run_id, 'loss')).map((m) => m.value)).toEqual([2.5, 1.25]);
    expect((await store.listArtifacts(run.run_id)).map((f) => f.path).sort()).toEqual(['checkpoints/ckpt/weights.bin', 'config.json']);
    expect(back.inputs?.dataset_inputs?.[0].dataset).toMatchObject({ name: 'synthetic', digest: 'abc123' });
  });

  it('refuses to change a param, as MLflow does, and accepts the same value again', async () => {
    const { run } = await sampleRun();
    await store.logBatch(run.run_id, { params: [{ key: 'data.use', value: 'synthetic' }] });
    await expect(store.logBatch(run.run_id, { params: [{ key: 'data.use', value: 'mnist' }] })).rejects.toThrow(MlflowApiError);
    await expect(store.logBatch(run.run_id, { params: [{ key: 'data.use', value: 'mnist' }] })).rejects.toThrow(/Changing param values is not allowed/);
  });

  it('refuses a deleted experiment by name, saying how to restore it', async () => {
    const exp = await store.getOrCreateExperiment('gone');
    store.deleteExperiment(exp.experiment_id);
    const err = await store.getOrCreateExperiment('gone').catch((e) => e);
    expect(err).toBeInstanceOf(MlflowExperimentDeletedError);
    expect(err.message).toMatch(/"gone" .* was deleted.*mlflow experiments restore --experiment-id \d+/);
  });

  it('round-trips metric lines, including NaN and infinities', () => {
    const metrics = [
      { key: 'k', value: -0.125, timestamp: 5, step: 0 },
      { key: 'k', value: NaN, timestamp: 6, step: 1 },
      { key: 'k', value: -Infinity, timestamp: 7, step: 2 },
      { key: 'k', value: 1e-12, timestamp: 8, step: 3 },
    ];
    const back = parseMetricLines('k', metrics.map(formatMetricLine).join(''));
    expect(back.map((m) => [m.timestamp, m.step])).toEqual([[5, 0], [6, 1], [7, 2], [8, 3]]);
    expect(back[0].value).toBe(-0.125);
    expect(Number.isNaN(back[1].value)).toBe(true);
    expect(back[2].value).toBe(-Infinity);
    expect(back[3].value).toBe(1e-12);
  });

  const withPython = serverTools.findMlflowPython() || process.env.CI === 'true' ? it : it.skip;
  withPython("is read by Python's mlflow client: same params, metric histories, tags, artifacts and inputs", async () => {
    const { run } = await sampleRun();
    const out = runMlflowPython(readRuns, [`file://${store.root}`, run.run_id]) as { runs: Record<string, any>[] };
    const py = out.runs[0];
    expect(py).toMatchObject({ run_id: run.run_id, run_name: 'first', status: 'FINISHED', experiment: 'demo' });
    expect(py.params).toEqual({ 'train.optimizer.lr': '0.003', 'data.use': 'synthetic' });
    expect(py.tags).toMatchObject({ team: 'a', 'mlflow.runName': 'first', 'mlflow.note.content': '# note\nline two' });
    expect(py.metrics.loss).toEqual([
      { step: 1, value: 2.5, timestamp: 1_700_000_000_100 },
      { step: 2, value: 1.25, timestamp: 1_700_000_000_200 },
    ]);
    expect(py.metrics['eval/knn_top1']).toEqual([{ step: 2, value: 0.75, timestamp: 1_700_000_000_300 }]);
    expect(py.metrics.odd.map((m: { value: unknown }) => m.value)).toEqual(['NaN', 'Infinity']);
    expect(py.artifacts).toEqual([{ path: 'checkpoints/ckpt/weights.bin', size: 100 }, { path: 'config.json', size: 8 }]);
    expect(py.inputs).toEqual([{ name: 'synthetic', digest: 'abc123', source_type: 'code', tags: { 'mlflow.data.context': 'training' } }]);
  });
});
