import { MlflowApiError, MlflowUnreachableError } from '../errors';
import { authHeaderFromEnv } from './auth';

/** How requests are sent: timeouts, retries and credentials. */
export interface HttpOptions {
  /** Per-attempt timeout (default `MLFLOW_HTTP_REQUEST_TIMEOUT` seconds, else 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default `MLFLOW_HTTP_REQUEST_MAX_RETRIES`, else 4). */
  maxRetries?: number;
  /** First backoff delay; it doubles each retry, with jitter, up to `maxBackoffMs` (default 500). */
  backoffMs?: number;
  /** Upper bound of one backoff delay (default 10 s). */
  maxBackoffMs?: number;
  /** Sent as `Authorization` (default: from MLflow's environment variables). */
  authorization?: string;
  /** Environment to read MLflow's variables from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** One request. `body` is a factory so a retry can send it again. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  body?: () => Buffer;
  /** What the caller wants back. */
  expect?: 'json' | 'buffer';
}

/**
 * Sends requests to an MLflow server: JSON in and out, a timeout per attempt, retries with
 * exponential backoff and jitter on network errors, 5xx and 429 (honouring Retry-After).
 * Other HTTP errors become an MlflowApiError carrying MLflow's `error_code` and message.
 */
export class HttpTransport {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly authorization?: string;

  constructor(baseUrl: string, options: HttpOptions = {}) {
    const env = options.env ?? process.env;
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? envNumber(env.MLFLOW_HTTP_REQUEST_TIMEOUT, 1000) ?? 30_000;
    this.maxRetries = options.maxRetries ?? envNumber(env.MLFLOW_HTTP_REQUEST_MAX_RETRIES, 1) ?? 4;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.authorization = options.authorization ?? authHeaderFromEnv(env);
  }

  async request<T = unknown>(req: HttpRequest): Promise<T> {
    const url = this.urlOf(req);
    const endpoint = `${req.method} ${req.path}`;
    let lastReason = '';
    for (let attempt = 0; ; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const res = await fetch(url, {
          method: req.method,
          headers: this.headersOf(req),
          body: req.json !== undefined ? JSON.stringify(req.json) : req.body?.(),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (res.ok) return (await readBody(res, req.expect)) as T;
        const error = await apiError(res, endpoint);
        if (!(res.status >= 500 || res.status === 429) || attempt >= this.maxRetries) throw error;
        lastReason = `HTTP ${res.status}`;
        retryAfterMs = retryAfter(res.headers.get('retry-after'));
      } catch (err) {
        if (err instanceof MlflowApiError) throw err;
        lastReason = networkReason(err, this.timeoutMs);
        if (attempt >= this.maxRetries) throw new MlflowUnreachableError(this.baseUrl, lastReason, attempt + 1);
      }
      const backoff = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** attempt);
      await sleep(retryAfterMs ?? backoff * (0.5 + Math.random() / 2));
    }
  }

  private urlOf(req: HttpRequest): string {
    const query = Object.entries(req.query ?? {}).filter(([, v]) => v !== undefined);
    const search = query.length > 0 ? `?${new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)])).toString()}` : '';
    return `${this.baseUrl}${req.path}${search}`;
  }

  private headersOf(req: HttpRequest): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.authorization) headers.Authorization = this.authorization;
    if (req.json !== undefined) headers['Content-Type'] = 'application/json';
    else if (req.body) headers['Content-Type'] = 'application/octet-stream';
    return headers;
  }
}

async function readBody(res: Response, expect: HttpRequest['expect'] = 'json'): Promise<unknown> {
  if (expect === 'buffer') return Buffer.from(await res.arrayBuffer());
  const text = await res.text();
  return text.trim() === '' ? {} : JSON.parse(text);
}

async function apiError(res: Response, endpoint: string): Promise<MlflowApiError> {
  const text = await res.text().catch(() => '');
  let code = `HTTP_${res.status}`;
  let message = text.trim().slice(0, 500);
  try {
    const body = JSON.parse(text) as { error_code?: string; message?: string };
    if (body.error_code) code = body.error_code;
    if (body.message !== undefined) message = body.message;
  } catch {
    // Not JSON (a proxy's HTML page, plain text): keep the text.
  }
  return new MlflowApiError(res.status, code, message, endpoint);
}

function networkReason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? Math.min(seconds * 1000, 60_000) : undefined;
}

function envNumber(value: string | undefined, scale: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n * scale : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
