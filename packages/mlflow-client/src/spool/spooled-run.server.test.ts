import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ServerBackend } from '../rest/server-backend';
import { describeWithServer, startPrivateServer, type ServerHandle } from '../test-helpers';
import { SpooledRun } from './spooled-run';

/**
 * The fault test at the client level: a real server is killed in the middle of a run and
 * started again on the same port and database; every step ends up on it exactly once.
 */
describeWithServer('SpooledRun with a real MLflow server that goes away and comes back', () => {
  let tmp: string;
  let server: ServerHandle;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-fault-'));
    server = await startPrivateServer({ dir: path.join(tmp, 'server') });
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('replays the steps logged during the outage in order, exactly once', async () => {
    const notices: string[] = [];
    const backend = new ServerBackend(server.uri, { maxRetries: 1, backoffMs: 50, timeoutMs: 5000 });
    const run = SpooledRun.start({
      backend, spoolDir: path.join(tmp, 'spool'), experimentName: 'fault', runName: 'outage',
      flushIntervalMs: 200, maxRetryDelayMs: 1000, notify: (l) => notices.push(l),
    });
    expect(await run.connect(30_000)).toBe(true);
    const runId = run.runId;
    // Strictly increasing timestamps: the server lists a metric's history by time, so the
    // order it returns is the order the records were logged in only if the replay keeps it.
    const t0 = Date.now();
    const log = (from: number, to: number) => {
      for (let s = from; s <= to; s++) run.logBatch({ metrics: [{ key: 'loss', value: 1 / s, timestamp: t0 + s, step: s }] });
    };
    log(1, 100);
    expect(await run.flush()).toBe(true);
    await server.stop('SIGKILL');
    log(101, 200);
    expect(await run.flush()).toBe(false);
    expect(notices.join('\n')).toMatch(/unreachable.*training goes on, records are spooled/);
    const restarted = await startPrivateServer({ dir: server.dir, port: server.port });
    server = restarted;
    log(201, 300);
    expect(await run.close('FINISHED', 60_000)).toBe(0);
    expect(run.runId).toBe(runId);
    expect(notices.join('\n')).toMatch(/answers again; replayed/);

    const history = await backend.getMetricHistory(runId, 'loss');
    // In logged order, not only the same set of steps: each step once, with its own value and time.
    expect(history.map((m) => m.step)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(history.map((m) => m.timestamp)).toEqual(Array.from({ length: 300 }, (_, i) => t0 + i + 1));
    history.forEach((m) => expect(m.value).toBeCloseTo(1 / m.step, 6));
    expect((await backend.getRun(runId)).info.status).toBe('FINISHED');
  });
});
