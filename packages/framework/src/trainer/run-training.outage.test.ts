import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MlflowRestClient, ServerBackend, syncPath } from '@contrastive/mlflow-client';
import { describeWithServer, startPrivateServer, type ServerHandle } from '../../../mlflow-client/src/test-helpers';
import { useTestBackend } from '../test-helpers';
import { runTraining } from './run-training';

const ADMIN_PASSWORD = 'outage-test-Passw0rd';
/**
 * `mlflow server --app-name basic-auth`, with MLflow's own auth settings plus a credential
 * cache: without it every request spends seconds on password hashing on a busy machine.
 */
function authArgs(dir: string) {
  const ini = path.join(dir, 'basic_auth.ini');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(ini, [
    '[mlflow]', 'default_permission = READ', 'database_uri = sqlite:///basic_auth.db', 'admin_username = admin',
    'authorization_function = mlflow.server.auth:authenticate_request_basic_auth', 'auth_cache_ttl_seconds = 600', '',
  ].join('\n'));
  return {
    extraArgs: ['--app-name', 'basic-auth'],
    env: { MLFLOW_AUTH_ADMIN_PASSWORD: ADMIN_PASSWORD, MLFLOW_FLASK_SERVER_SECRET_KEY: 'outage-test-csrf-key', MLFLOW_AUTH_CONFIG_PATH: ini },
  };
}

/**
 * A private MLflow server with basic authentication, for what the shared one cannot do:
 * refuse a password, and be stopped in the middle of a run and started again.
 */
describeWithServer('training while the MLflow server refuses credentials or goes away', () => {
  let tmp: string;
  let server: ServerHandle;
  let notices: string[];
  const saved = { ...process.env };
  const log = { write: (s: string) => notices.push(...s.split('\n').filter(Boolean)) } as unknown as NodeJS.WritableStream;
  const config = (steps: number, tracking: Record<string, unknown>) => ({
    name: 'outage', seed: 5,
    data: { use: 'synthetic', batchSize: 16, trainCount: 64, testCount: 16 },
    encoder: { use: 'mlp', hidden: [16], embeddingDim: 8 },
    train: { steps, optimizer: { use: 'adam', lr: 0.001 }, outputDir: tmp, logEvery: 50 },
    tracking: { uri: server.uri, flushSeconds: 0.2, ...tracking },
  });
  const login = (user: string, password: string) => {
    process.env.MLFLOW_TRACKING_USERNAME = user;
    process.env.MLFLOW_TRACKING_PASSWORD = password;
  };

  beforeAll(async () => {
    await useTestBackend();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-outage-'));
    server = await startPrivateServer({ dir: path.join(tmp, 'server'), ...authArgs(path.join(tmp, 'server')) });
  });
  beforeEach(() => {
    notices = [];
  });
  afterEach(() => {
    process.env.MLFLOW_TRACKING_USERNAME = saved.MLFLOW_TRACKING_USERNAME;
    process.env.MLFLOW_TRACKING_PASSWORD = saved.MLFLOW_TRACKING_PASSWORD;
    if (saved.MLFLOW_TRACKING_USERNAME === undefined) delete process.env.MLFLOW_TRACKING_USERNAME;
    if (saved.MLFLOW_TRACKING_PASSWORD === undefined) delete process.env.MLFLOW_TRACKING_PASSWORD;
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a wrong password: a clear message naming the variables, training finishes, the records wait in the spool', async () => {
    login('admin', 'not-the-password');
    const summary = await runTraining({ raw: config(5, { experiment: 'auth' }), cwd: tmp, env: {}, silent: true, log });
    expect(summary.status).toBe('FINISHED');
    const text = notices.join('\n');
    expect(text).toMatch(/HTTP 401\).*check MLFLOW_TRACKING_USERNAME \/ MLFLOW_TRACKING_PASSWORD.*Training goes on; the run's records are kept in .*mlflow-spool/);
    expect(text).toMatch(/push them with `contrastive mlflow sync /);
    login('admin', ADMIN_PASSWORD);
    const [synced] = await syncPath(summary.runDir, new ServerBackend(server.uri));
    expect(synced.error).toBeUndefined();
    const history = await new MlflowRestClient(server.uri).getMetricHistory(synced.targetRunId!, 'loss');
    expect(history.map((m) => m.step).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
  });

  it('the server is stopped in the middle of a run and started again: every metric step is on it exactly once', async () => {
    login('admin', ADMIN_PASSWORD);
    const steps = 300;
    let outage: Promise<void> | null = null;
    let restarted = false;
    const losses: number[] = [];
    const summary = await runTraining({
      raw: config(steps, { experiment: 'fault', waitAtEndSeconds: 300 }), cwd: tmp, env: {}, silent: true, log,
      onStep: (u) => {
        losses.push(u.loss);
        if (u.step === 60 && !outage) {
          // Kill the server (as a crash would) and bring it back on the same port and database.
          outage = server.stop('SIGKILL').then(async () => {
            server = await startPrivateServer({ dir: server.dir, port: server.port, ...authArgs(server.dir) });
            restarted = true;
          });
        }
      },
    });
    await outage;
    expect(restarted).toBe(true);
    expect(summary.status).toBe('FINISHED');
    expect(summary.steps).toBe(steps);
    const text = notices.join('\n');
    expect(text).toMatch(/unreachable.*training goes on, records are spooled/);
    expect(text).toMatch(/answers again; replayed \d+ spooled records in order/);
    const rest = new MlflowRestClient(server.uri);
    for (const key of ['loss', 'lr', 'examples_per_second']) {
      const history = await rest.getMetricHistory(summary.runId, key);
      // The server lists a history by time: in step order only if the replay kept the logged order.
      expect({ key, steps: history.map((m) => m.step) }).toEqual({ key, steps: Array.from({ length: steps }, (_, i) => i + 1) });
      for (let i = 1; i < history.length; i++) expect(history[i].timestamp).toBeGreaterThanOrEqual(history[i - 1].timestamp);
    }
    const lossHistory = await rest.getMetricHistory(summary.runId, 'loss');
    expect(lossHistory.map((m) => m.value)).toEqual(losses.map((l) => expect.closeTo(l, 5)));
    const run = await rest.getRun(summary.runId);
    expect(run.info.status).toBe('FINISHED');
    expect(run.data.params.find((p) => p.key === 'train.steps')!.value).toBe(String(steps));
  });
});
