import { spawnSync } from 'child_process';
import * as path from 'path';

/** The JS module that installs and starts MLflow servers (shared with .ci/run). */
interface ServerTools {
  MLFLOW_VERSION: string;
  findMlflow(): string | null;
  findMlflowPython(): string | null;
  freePort(): Promise<number>;
  startServer(opts?: { dir?: string; port?: number; extraArgs?: string[]; env?: Record<string, string> }): Promise<ServerHandle>;
}

/** A running `mlflow server` started by a test. */
export interface ServerHandle {
  uri: string;
  port: number;
  dir: string;
  logFile: string;
  ready(timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const serverTools: ServerTools = require(path.resolve(__dirname, '../../../../tools/mlflow-server/mlflow-server.js'));

const missing = () =>
  'no MLflow test server: install the pinned mlflow (`node tools/mlflow-server/mlflow-server.js install`) ' +
  'so jest starts one, or set MLFLOW_TEST_URI to a running server';

/** True when tests that need a server must run (and fail without one): in CI, or with a server at hand. */
export function serverTestsEnabled(): boolean {
  const uri = process.env.MLFLOW_TEST_URI;
  return process.env.CI === 'true' || (uri !== undefined && uri !== 'none');
}

/**
 * `describe` for tests against a real MLflow server: runs when a server is configured
 * (MLFLOW_TEST_URI, set by the jest global setup or .ci/run) and always in CI, where a
 * missing server fails the tests; elsewhere skips them with a note saying how to enable them.
 */
export function describeWithServer(name: string, fn: () => void): void {
  if (serverTestsEnabled()) {
    describe(name, fn);
  } else {
    // eslint-disable-next-line no-console
    console.warn(`skipping "${name}": ${missing()}`);
    describe.skip(name, fn);
  }
}

/** The shared test server's URI once it answers; throws (fails the test) when there is none. */
export async function mlflowTestServer(timeoutMs = 180_000): Promise<string> {
  const uri = process.env.MLFLOW_TEST_URI;
  if (!uri || uri === 'none') throw new Error(missing());
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${uri}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return uri;
    } catch {
      // starting up
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`MLflow test server ${uri} did not answer within ${timeoutMs} ms`);
}

/** A server of the test's own (to stop and restart, or to start with options); waits until it answers. */
export async function startPrivateServer(opts: Parameters<ServerTools['startServer']>[0] = {}): Promise<ServerHandle> {
  if (!serverTools.findMlflow()) throw new Error(missing());
  const server = await serverTools.startServer(opts);
  await server.ready(180_000);
  return server;
}

/**
 * Runs a Python script with the mlflow-equipped interpreter and parses the last stdout line
 * as JSON (Python's own mlflow client is the reference reader in interop tests).
 */
export function runMlflowPython(script: string, args: string[], env: Record<string, string> = {}): unknown {
  const python = serverTools.findMlflowPython();
  if (!python) throw new Error(missing());
  const r = spawnSync(python, [script, ...args], {
    encoding: 'utf8', env: { ...process.env, MLFLOW_ALLOW_FILE_STORE: 'true', ...env }, timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}):\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}
