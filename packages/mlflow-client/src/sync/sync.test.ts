import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileStore } from '../file-store/file-store';
import { ServerBackend } from '../rest/server-backend';
import { SYNC_ID_TAG } from '../spool/replay';
import { describeWithServer, mlflowTestServer, runMlflowPython } from '../test-helpers';
import { MLFLOW_TAGS } from '../types';
import { syncPath } from './sync-path';

const readRuns = path.resolve(__dirname, '../../../../tools/mlflow-server/read_runs.py');

describeWithServer('sync of a local file store to a real MLflow server', () => {
  let tmp: string;
  let server: ServerBackend;
  beforeAll(async () => {
    server = new ServerBackend(await mlflowTestServer());
  });
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-sync-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('pushes runs with params, metric histories, tags, inputs, artifacts, status and nesting; syncing twice creates no duplicates', async () => {
    const store = new FileStore(path.join(tmp, 'mlruns'));
    const expName = `sync-${Date.now()}`;
    const exp = await store.getOrCreateExperiment(expName);
    const parent = await store.createRun({ experimentId: exp.experiment_id, runName: 'train', startTime: 1_700_000_000_000 });
    await store.logBatch(parent.run_id, {
      params: [{ key: 'seed', value: '7' }],
      metrics: Array.from({ length: 30 }, (_, i) => ({ key: 'loss', value: 3 - i / 10, timestamp: 1_700_000_000_000 + i, step: i + 1 })),
      tags: [{ key: 'backend', value: 'tensorflow' }],
    });
    await store.logInputs(parent.run_id, [{ dataset: { name: 'synthetic', digest: 'aa11', source_type: 'code', source: '{}' }, tags: [{ key: 'mlflow.data.context', value: 'training' }] }]);
    fs.writeFileSync(path.join(tmp, 'config.resolved.json'), '{"seed": 7}');
    await store.logArtifact(parent.run_id, path.join(tmp, 'config.resolved.json'));
    await store.updateRun(parent.run_id, 'FINISHED', 1_700_000_009_000);
    const child = await store.createRun({ experimentId: exp.experiment_id, runName: 'eval', tags: [{ key: MLFLOW_TAGS.parentRunId, value: parent.run_id }] });
    await store.logBatch(child.run_id, { metrics: [{ key: 'knn_top1', value: 0.8, timestamp: 1_700_000_010_000, step: 0 }] });
    await store.updateRun(child.run_id, 'FINISHED');

    const first = await syncPath(store.root, server);
    expect(first.map((o) => [o.kind, o.error, o.sent])).toEqual([['file-store', undefined, 30], ['file-store', undefined, 1]]);
    const second = await syncPath(store.root, server);
    expect(second.map((o) => o.sent)).toEqual([0, 0]);
    expect(second.map((o) => o.targetRunId)).toEqual(first.map((o) => o.targetRunId));

    const remoteExp = (await server.rest.getExperimentByName(expName))!;
    const runs = await server.rest.searchRuns([remoteExp.experiment_id]);
    expect(runs).toHaveLength(2);
    const [trainId, evalId] = first.map((o) => o.targetRunId!);
    const py = runMlflowPython(readRuns, [server.uri, trainId, evalId]) as { runs: Record<string, any>[] };
    const [train, evalRun] = py.runs;
    expect(train).toMatchObject({ run_name: 'train', status: 'FINISHED', params: { seed: '7' } });
    expect(train.tags).toMatchObject({ backend: 'tensorflow', [SYNC_ID_TAG]: parent.run_id });
    expect(train.metrics.loss.map((m: { step: number }) => m.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(train.metrics.loss[29].value).toBeCloseTo(0.1, 12);
    expect(train.artifacts).toEqual([{ path: 'config.resolved.json', size: 11 }]);
    expect(train.inputs).toEqual([expect.objectContaining({ name: 'synthetic', digest: 'aa11' })]);
    expect(evalRun.tags[MLFLOW_TAGS.parentRunId]).toBe(trainId);
    expect(evalRun.metrics.knn_top1).toEqual([{ step: 0, value: 0.8, timestamp: 1_700_000_010_000 }]);
  });

  it('sends only the new part of a run that grew since the last sync', async () => {
    const store = new FileStore(path.join(tmp, 'mlruns'));
    const exp = await store.getOrCreateExperiment(`grow-${Date.now()}`);
    const run = await store.createRun({ experimentId: exp.experiment_id, runName: 'g' });
    const log = (from: number, to: number) => store.logBatch(run.run_id, {
      metrics: Array.from({ length: to - from + 1 }, (_, i) => ({ key: 'loss', value: from + i, timestamp: 5000 + from + i, step: from + i })),
    });
    await log(1, 10);
    const [a] = await syncPath(store.runDir(run.run_id), server);
    await log(11, 15);
    const [b] = await syncPath(store.runDir(run.run_id), server);
    expect([a.sent, b.sent]).toEqual([10, 5]);
    expect((await server.getMetricHistory(b.targetRunId!, 'loss')).map((m) => m.step).sort((x, y) => x - y)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });
});
