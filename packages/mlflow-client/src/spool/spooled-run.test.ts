import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileStore } from '../file-store/file-store';
import { syncPath } from '../sync/sync-path';
import { flakyBackend } from '../test-helpers';
import type { TrackingBackend } from '../tracking-backend';
import { Journal } from './journal';
import { SYNC_ID_TAG } from './replay';
import { SpooledRun } from './spooled-run';

describe('SpooledRun (offline-first run)', () => {
  let tmp: string;
  let store: FileStore;
  let lines: string[];
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-spool-'));
    store = new FileStore(path.join(tmp, 'mlruns'));
    lines = [];
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const start = (backend: TrackingBackend, extra: Partial<Parameters<typeof SpooledRun.start>[0]> = {}) =>
    SpooledRun.start({
      backend, spoolDir: path.join(tmp, 'spool'), experimentName: 'exp', runName: 'r', tags: { a: 'b' },
      flushIntervalMs: 60_000, notify: (l) => lines.push(l), ...extra,
    });
  const steps = (run: SpooledRun, from: number, to: number) => {
    for (let s = from; s <= to; s++) run.logBatch({ metrics: [{ key: 'loss', value: 1 / s, timestamp: 1000 + s, step: s }] });
  };

  it('keeps logging while the backend is down and replays everything in order, exactly once, when it is back', async () => {
    const { backend, state } = flakyBackend(store);
    state.down = true;
    const run = start(backend);
    expect(await run.connect(1000)).toBe(false);
    steps(run, 1, 40);
    run.logBatch({ params: [{ key: 'lr', value: '0.1' }] });
    expect(await run.flush()).toBe(false);
    expect(run.pendingCount).toBe(42);
    expect(lines.join('\n')).toMatch(/ECONNREFUSED.*training goes on, records are spooled to .*spool/);
    state.down = false;
    steps(run, 41, 50);
    expect(await run.close('FINISHED', 5000)).toBe(0);
    expect(lines.join('\n')).toMatch(/answers again; replayed \d+ spooled records in order/);

    const runs = store.listRuns(store.getExperimentByName('exp')!.experiment_id);
    expect(runs).toHaveLength(1);
    expect(run.runId).toBe(runs[0].info.run_id);
    const history = await store.getMetricHistory(run.runId, 'loss');
    expect(history.map((m) => m.step)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(runs[0].info.status).toBe('FINISHED');
    expect(runs[0].data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(runs[0].data.tags).toEqual(expect.arrayContaining([{ key: 'a', value: 'b' }, { key: SYNC_ID_TAG, value: run.journal.state.localRunId }]));
  });

  it('keeps what is left at the end on disk, and sync pushes it later; a second sync sends nothing', async () => {
    const { backend, state } = flakyBackend(store);
    const run = start(backend);
    await run.connect(1000);
    steps(run, 1, 10);
    await run.flush();
    state.down = true;
    steps(run, 11, 30);
    expect(await run.close('KILLED', 50)).toBe(21);
    expect(lines[lines.length - 1]).toMatch(/21 records of run \w+ did not reach .*kept in .*spool; push them with `contrastive mlflow sync .*spool --to /);

    const first = await syncPath(tmp + '/spool', store);
    expect(first).toEqual([expect.objectContaining({ kind: 'spool', sent: 21, left: 0 })]);
    const again = await syncPath(tmp + '/spool', store);
    expect(again).toEqual([expect.objectContaining({ kind: 'spool', sent: 0, left: 0 })]);
    expect((await store.getMetricHistory(run.runId, 'loss')).map((m) => m.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect((await store.getRun(run.runId)).info.status).toBe('KILLED');
  });

  it('survives the process dying: the journal on disk holds every record logged', async () => {
    const { backend, state } = flakyBackend(store);
    state.down = true;
    const run = start(backend);
    steps(run, 1, 25);
    run.setStatus('FAILED');
    // No close(): the process "died". A later sync reads the journal written so far.
    const journal = Journal.open(path.join(tmp, 'spool'));
    expect(journal.pending()).toHaveLength(27);
    const [outcome] = await syncPath(path.join(tmp, 'spool'), store);
    expect(outcome).toMatchObject({ sent: 27, left: 0 });
    const runs = store.listRuns(store.getExperimentByName('exp')!.experiment_id);
    expect(runs.map((r) => r.info.status)).toEqual(['FAILED']);
    expect(await store.getMetricHistory(runs[0].info.run_id, 'loss')).toHaveLength(25);
  });

  it('finds its run again instead of creating a second one when the start was sent but not acknowledged', async () => {
    const run = start(store);
    steps(run, 1, 3);
    await run.close('FINISHED', 1000);
    // Forget the acknowledgement: the state says nothing was sent.
    const spool = path.join(tmp, 'spool');
    const stateFile = path.join(spool, 'state.json');
    const st = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    fs.writeFileSync(stateFile, JSON.stringify({ ...st, ackedSeq: 0, serverRunId: undefined }));
    fs.writeFileSync(path.join(spool, 'journal.jsonl'), '');
    const replay = SpooledRun.start({ backend: store, spoolDir: path.join(tmp, 'spool2'), experimentName: 'exp', runName: 'r', resumeRunId: undefined, flushIntervalMs: 60_000, notify: () => undefined });
    replay.journal.update({ localRunId: st.localRunId });
    await replay.close('FINISHED', 1000);
    expect(store.listRuns(store.getExperimentByName('exp')!.experiment_id)).toHaveLength(1);
  });

  it('skips only what the backend refuses (a changed param), reports it, and keeps the rest', async () => {
    const run = start(store);
    run.logBatch({ params: [{ key: 'steps', value: '6' }] });
    await run.flush();
    run.logBatch({ params: [{ key: 'steps', value: '12' }, { key: 'other', value: 'x' }], metrics: [{ key: 'loss', value: 0.5, timestamp: 1, step: 1 }] });
    expect(await run.close('FINISHED', 1000)).toBe(0);
    expect(lines.join('\n')).toMatch(/param "steps" not recorded: Changing param values is not allowed/);
    const back = await store.getRun(run.runId);
    expect(Object.fromEntries(back.data.params.map((p) => [p.key, p.value]))).toEqual({ steps: '6', other: 'x' });
    expect(back.data.metrics.map((m) => m.key)).toEqual(['loss']);
  });

  it('stops sending when the credentials are refused, keeps every record, and says so once', async () => {
    const { backend, state } = flakyBackend(store);
    state.unauthorized = true;
    const run = start(backend);
    expect(await run.connect(1000)).toBe(false);
    steps(run, 1, 5);
    await run.flush();
    expect(await run.close('FINISHED', 200)).toBe(7);
    expect(lines.filter((l) => /HTTP 401/.test(l))).toHaveLength(2);
    expect(lines[0]).toMatch(/HTTP 401.*MLFLOW_TRACKING_USERNAME.*Training goes on; the run's records are kept in .*spool/);
    expect(run.blockedBy).not.toBeNull();
  });

  it('continues a spooled run on resume: same run, status RUNNING again, then the new final status', async () => {
    const first = start(store);
    steps(first, 1, 5);
    await first.close('KILLED', 1000);
    const id = first.runId;
    const resumed = start(store, { resumeRunId: id });
    expect(resumed.runId).toBe(id);
    steps(resumed, 6, 8);
    await resumed.flush();
    expect((await store.getRun(id)).info.status).toBe('RUNNING');
    await resumed.close('FINISHED', 1000);
    expect((await store.getRun(id)).info.status).toBe('FINISHED');
    expect((await store.getMetricHistory(id, 'loss')).map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(store.listRuns(store.getExperimentByName('exp')!.experiment_id)).toHaveLength(1);
  });
});

describe('SpooledRun in a folder that holds another spool', () => {
  it('keeps the earlier spool (and its pending records) beside the new one', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-spool-aside-'));
    const other = new FileStore(path.join(tmp, 'other'));
    const { backend, state } = flakyBackend(other);
    state.down = true;
    const notices: string[] = [];
    const opts = { spoolDir: path.join(tmp, 'spool'), experimentName: 'e', runName: 'r', flushIntervalMs: 60_000, notify: (l: string) => notices.push(l) };
    const first = SpooledRun.start({ backend, ...opts });
    first.logBatch({ metrics: [{ key: 'loss', value: 1, timestamp: 1, step: 1 }] });
    await first.close('KILLED', 10);
    const second = SpooledRun.start({ backend: new FileStore(path.join(tmp, 'mlruns')), ...opts });
    await second.close('FINISHED', 1000);
    const aside = fs.readdirSync(tmp).filter((d) => d.startsWith('spool.'));
    expect(aside).toHaveLength(1);
    expect(notices.join('\n')).toMatch(/earlier spool .* is kept as .*spool\.\d+/);
    expect(Journal.open(path.join(tmp, aside[0])).pending()).toHaveLength(3);
    state.down = false;
    const [outcome] = await syncPath(path.join(tmp, aside[0]), backend);
    expect(outcome).toMatchObject({ sent: 3, left: 0 });
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
