import * as http from 'http';
import type { AddressInfo } from 'net';
import { MlflowApiError, MlflowUnreachableError, isTransient } from '../errors';
import { authHeaderFromEnv } from './auth';
import { HttpTransport } from './http-transport';

/** A scripted server on 127.0.0.1: answers the n-th request with replies[n]. */
async function scripted(replies: Array<{ status: number; body?: string; headers?: Record<string, string>; delayMs?: number }>) {
  const seen: { auth?: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ auth: req.headers.authorization, body });
      const reply = replies[Math.min(seen.length - 1, replies.length - 1)];
      setTimeout(() => {
        res.writeHead(reply.status, { 'Content-Type': 'application/json', ...(reply.headers ?? {}) });
        res.end(reply.body ?? '{}');
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { uri, seen, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

describe('HttpTransport', () => {
  it('retries 5xx and 429 with backoff, then returns the answer', async () => {
    const s = await scripted([{ status: 503 }, { status: 429, headers: { 'Retry-After': '0' } }, { status: 200, body: '{"ok": true}' }]);
    const t = new HttpTransport(s.uri, { maxRetries: 3, backoffMs: 5, env: {} });
    await expect(t.request({ method: 'POST', path: '/x', json: { a: 1 } })).resolves.toEqual({ ok: true });
    expect(s.seen).toHaveLength(3);
    expect(s.seen.every((r) => r.body === '{"a":1}')).toBe(true);
    await s.close();
  });

  it('does not retry a 4xx, and the error carries MLflow\'s error_code and message', async () => {
    const s = await scripted([{ status: 400, body: '{"error_code": "INVALID_PARAMETER_VALUE", "message": "bad key"}' }]);
    const t = new HttpTransport(s.uri, { maxRetries: 3, backoffMs: 5, env: {} });
    const err = await t.request({ method: 'POST', path: '/api/2.0/mlflow/runs/log-batch', json: {} }).catch((e: Error) => e) as Error & { message: string };
    expect(err).toBeInstanceOf(MlflowApiError);
    expect(err).toMatchObject({ status: 400, errorCode: 'INVALID_PARAMETER_VALUE', serverMessage: 'bad key' });
    expect(err.message).toMatch(/POST \/api\/2\.0\/mlflow\/runs\/log-batch failed: INVALID_PARAMETER_VALUE \(HTTP 400\): bad key/);
    expect(isTransient(err)).toBe(false);
    expect(s.seen).toHaveLength(1);
    await s.close();
  });

  it('gives up on a server that keeps failing, with the last status', async () => {
    const s = await scripted([{ status: 500, body: '{"error_code": "INTERNAL_ERROR", "message": "boom"}' }]);
    const t = new HttpTransport(s.uri, { maxRetries: 2, backoffMs: 1, env: {} });
    const err = await t.request({ method: 'GET', path: '/y' }).catch((e: Error) => e) as Error & { message: string };
    expect(err).toMatchObject({ status: 500, errorCode: 'INTERNAL_ERROR' });
    expect(isTransient(err)).toBe(true);
    expect(s.seen).toHaveLength(3);
    await s.close();
  });

  it('times out a silent server and reports it unreachable', async () => {
    const s = await scripted([{ status: 200, delayMs: 600 }]);
    const t = new HttpTransport(s.uri, { maxRetries: 1, backoffMs: 1, timeoutMs: 100, env: {} });
    const err = await t.request({ method: 'GET', path: '/slow' }).catch((e: Error) => e) as Error & { message: string };
    expect(err).toBeInstanceOf(MlflowUnreachableError);
    expect(err.message).toMatch(/unreachable \(no answer within 100 ms\) after 2 attempts/);
    await s.close();
  });

  it('reports a refused connection as unreachable, naming the address', async () => {
    const s = await scripted([{ status: 200 }]);
    await s.close();
    const t = new HttpTransport(s.uri, { maxRetries: 0, env: {} });
    const err = await t.request({ method: 'GET', path: '/' }).catch((e: Error) => e) as Error & { message: string };
    expect(err).toBeInstanceOf(MlflowUnreachableError);
    expect(err.message).toContain(s.uri);
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it('sends the credentials from MLflow\'s environment variables; a 401 says which variables to check', async () => {
    const s = await scripted([{ status: 200 }, { status: 200 }, { status: 401, body: 'You are not authenticated.' }]);
    await new HttpTransport(s.uri, { env: { MLFLOW_TRACKING_USERNAME: 'ann', MLFLOW_TRACKING_PASSWORD: 's3cret' } }).request({ method: 'GET', path: '/' });
    await new HttpTransport(s.uri, { env: { MLFLOW_TRACKING_TOKEN: 'tok', MLFLOW_TRACKING_USERNAME: 'ann' } }).request({ method: 'GET', path: '/' });
    expect(s.seen[0].auth).toBe(`Basic ${Buffer.from('ann:s3cret').toString('base64')}`);
    expect(s.seen[1].auth).toBe('Bearer tok');
    const err = await new HttpTransport(s.uri, { env: {} }).request({ method: 'GET', path: '/' }).catch((e: Error) => e) as Error & { message: string };
    expect(err.message).toMatch(/HTTP 401.*MLFLOW_TRACKING_USERNAME \/ MLFLOW_TRACKING_PASSWORD/);
    expect(authHeaderFromEnv({})).toBeUndefined();
    await s.close();
  });
});
