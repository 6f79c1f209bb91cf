import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MlflowApiError, MlflowExperimentDeletedError } from '../errors';
import { describeWithServer, mlflowTestServer } from '../test-helpers';
import { MlflowArtifactsClient, proxyPathOf } from './artifacts-client';
import { MlflowRestClient } from './rest-client';

const unique = (prefix: string) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

describeWithServer('MlflowRestClient against a real MLflow server', () => {
  let client: MlflowRestClient;
  let artifacts: MlflowArtifactsClient;
  let tmp: string;
  beforeAll(async () => {
    const uri = await mlflowTestServer();
    client = new MlflowRestClient(uri);
    artifacts = new MlflowArtifactsClient(uri);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-rest-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('creates experiments, finds them by name, and says so when a name belongs to a deleted one', async () => {
    const name = unique('exp');
    expect(await client.getExperimentByName(name)).toBeNull();
    const exp = await client.getOrCreateExperiment(name);
    expect(exp).toMatchObject({ name, lifecycle_stage: 'active' });
    expect((await client.getOrCreateExperiment(name)).experiment_id).toBe(exp.experiment_id);
    await client.deleteExperiment(exp.experiment_id);
    const err = await client.getOrCreateExperiment(name).catch((e) => e);
    expect(err).toBeInstanceOf(MlflowExperimentDeletedError);
    expect(err.message).toContain(`mlflow experiments restore --experiment-id ${exp.experiment_id}`);
    await client.restoreExperiment(exp.experiment_id);
    expect((await client.getOrCreateExperiment(name)).experiment_id).toBe(exp.experiment_id);
  });

  it('creates, logs (split to the server limits), updates, gets and searches runs', async () => {
    const exp = await client.getOrCreateExperiment(unique('runs'));
    const info = await client.createRun({ experimentId: exp.experiment_id, runName: 'r1', tags: [{ key: 'kind', value: 'test' }] });
    expect(info).toMatchObject({ status: 'RUNNING', run_name: 'r1' });
    const t0 = Date.now();
    const metrics = Array.from({ length: 2600 }, (_, i) => ({ key: i % 2 ? 'loss' : 'lr', value: i / 7, timestamp: t0 + i, step: Math.floor(i / 2) }));
    const params = Array.from({ length: 230 }, (_, i) => ({ key: `p.${i}`, value: String(i * 3) }));
    const tags = Array.from({ length: 120 }, (_, i) => ({ key: `t.${i}`, value: `v${i}` }));
    await client.logBatch(info.run_id, { metrics, params, tags });
    await client.setTag(info.run_id, 'late', 'yes');
    await client.logBatch(info.run_id, { metrics: [{ key: 'odd', value: NaN, timestamp: t0, step: 0 }, { key: 'odd', value: -Infinity, timestamp: t0, step: 1 }] });
    const ended = await client.updateRun(info.run_id, 'FINISHED');
    expect(ended.status).toBe('FINISHED');
    expect(ended.end_time).toBeGreaterThanOrEqual(t0);

    const run = await client.getRun(info.run_id);
    expect(run.data.params).toHaveLength(230);
    expect(run.data.params.find((p) => p.key === 'p.229')!.value).toBe('687');
    expect(run.data.tags.find((t) => t.key === 't.119')!.value).toBe('v119');
    expect(run.data.tags.find((t) => t.key === 'late')!.value).toBe('yes');
    const loss = await client.getMetricHistory(info.run_id, 'loss');
    expect(loss).toHaveLength(1300);
    expect(loss.map((m) => m.step).sort((a, b) => a - b)).toEqual(Array.from({ length: 1300 }, (_, i) => i));
    expect(loss.find((m) => m.step === 5)!.value).toBeCloseTo(11 / 7, 12);
    const odd = await client.getMetricHistory(info.run_id, 'odd');
    expect(Number.isNaN(odd.find((m) => m.step === 0)!.value)).toBe(true);
    expect(odd.find((m) => m.step === 1)!.value).toBeLessThan(-1e300);

    const found = await client.searchRuns([exp.experiment_id], { filter: "tags.kind = 'test'" });
    expect(found.map((r) => r.info.run_id)).toEqual([info.run_id]);
    expect(await client.searchRuns([exp.experiment_id], { filter: "tags.kind = 'other'" })).toEqual([]);
  });

  it('records dataset inputs once per name and digest', async () => {
    const exp = await client.getOrCreateExperiment(unique('inputs'));
    const info = await client.createRun({ experimentId: exp.experiment_id });
    const input = { dataset: { name: 'synthetic', digest: 'd1g35t', source_type: 'code', source: '{"use":"synthetic"}', profile: '{"num_rows": 10}' }, tags: [{ key: 'mlflow.data.context', value: 'training' }] };
    await client.logInputs(info.run_id, [input]);
    await client.logInputs(info.run_id, [input]);
    const run = await client.getRun(info.run_id);
    expect(run.inputs!.dataset_inputs).toHaveLength(1);
    expect(run.inputs!.dataset_inputs![0].dataset).toMatchObject({ name: 'synthetic', digest: 'd1g35t' });
  });

  it('uploads, lists and downloads artifacts (files and folders) through the proxy', async () => {
    const exp = await client.getOrCreateExperiment(unique('artifacts'));
    const info = await client.createRun({ experimentId: exp.experiment_id });
    expect(proxyPathOf(info.artifact_uri)).toBe(`${exp.experiment_id}/${info.run_id}/artifacts`);
    const file = path.join(tmp, 'config.resolved.json');
    fs.writeFileSync(file, '{"seed": 1}');
    const dir = path.join(tmp, 'step-00000010');
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from([0, 1, 2, 255]));
    fs.writeFileSync(path.join(dir, 'sub', 'state.json'), '{}');
    expect(await artifacts.upload(info.artifact_uri, file)).toEqual(['config.resolved.json']);
    await artifacts.upload(info.artifact_uri, dir, 'checkpoints');
    const all = await artifacts.listRecursive(info.artifact_uri);
    expect(all.map((f) => [f.path, f.file_size])).toEqual([
      ['checkpoints/step-00000010/sub/state.json', 2],
      ['checkpoints/step-00000010/weights.bin', 4],
      ['config.resolved.json', 11],
    ]);
    expect([...(await artifacts.download(info.artifact_uri, 'checkpoints/step-00000010/weights.bin'))]).toEqual([0, 1, 2, 255]);
    expect(await artifacts.list(info.artifact_uri, 'nothing-here')).toEqual([]);
  });

  it('turns server errors into errors with MLflow\'s error_code', async () => {
    const err = await client.getRun('0123456789abcdef0123456789abcdef').catch((e) => e);
    expect(err).toBeInstanceOf(MlflowApiError);
    expect(err.errorCode).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(err.status).toBe(404);
  });
});
