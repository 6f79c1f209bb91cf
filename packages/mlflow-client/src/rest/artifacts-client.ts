import * as fs from 'fs';
import * as path from 'path';
import { MlflowApiError, MlflowInputError } from '../errors';
import type { FileInfo } from '../types';
import { HttpTransport, type HttpOptions } from './http-transport';

const PROXY = '/api/2.0/mlflow-artifacts/artifacts';

/**
 * The server-side path of a run's artifact root for the artifact proxy: the part of an
 * `mlflow-artifacts:/1/<run>/artifacts` URI after the scheme (and host, if any).
 *
 * @throws MlflowInputError for other schemes (s3://, gs://, ...), which the server does not proxy
 */
export function proxyPathOf(artifactUri: string): string {
  const match = /^mlflow-artifacts:(?:\/\/[^/]+)?\/*(.*)$/.exec(artifactUri);
  if (!match) {
    throw new MlflowInputError(
      `artifact location ${artifactUri} is not served by the MLflow server; this client uploads through the ` +
        "server's artifact proxy (start it with --serve-artifacts, MLflow's default)",
    );
  }
  return match[1].replace(/\/+$/, '');
}

/**
 * Uploads, downloads and lists run artifacts through the MLflow server's artifact proxy
 * (`/api/2.0/mlflow-artifacts/`), so the client needs no access to the storage behind it.
 *
 * @example
 * const artifacts = new MlflowArtifactsClient('http://127.0.0.1:5000');
 * await artifacts.upload(run.artifact_uri, 'config.json');             // -> config.json
 * await artifacts.upload(run.artifact_uri, 'checkpoints/step-10', 'checkpoints'); // a folder
 * const files = await artifacts.list(run.artifact_uri, 'checkpoints');
 */
export class MlflowArtifactsClient {
  readonly http: HttpTransport;

  constructor(readonly uri: string, options: HttpOptions = {}) {
    this.http = new HttpTransport(uri, options);
  }

  /**
   * Uploads a file, or a folder recursively, to `<artifactPath>/<basename>` under the run's
   * artifact root. Uploading the same path again replaces it. Returns the uploaded paths.
   */
  async upload(artifactUri: string, localPath: string, artifactPath = ''): Promise<string[]> {
    const stat = fs.statSync(localPath);
    const dest = joinPath(artifactPath, path.basename(path.resolve(localPath)));
    if (!stat.isDirectory()) {
      await this.putFile(artifactUri, localPath, dest);
      return [dest];
    }
    const done: string[] = [];
    for (const rel of listFilesRecursively(localPath)) {
      const target = joinPath(dest, rel.split(path.sep).join('/'));
      await this.putFile(artifactUri, path.join(localPath, rel), target);
      done.push(target);
    }
    return done;
  }

  /** Uploads one local file to exactly `artifactPath` (a file path under the run's root). */
  async putFile(artifactUri: string, localFile: string, artifactPath: string): Promise<void> {
    await this.http.request({
      method: 'PUT',
      path: `${PROXY}/${encodePath(joinPath(proxyPathOf(artifactUri), artifactPath))}`,
      body: () => fs.readFileSync(localFile),
    });
  }

  /** The contents of one artifact file. */
  async download(artifactUri: string, artifactPath: string): Promise<Buffer> {
    return this.http.request<Buffer>({
      method: 'GET',
      path: `${PROXY}/${encodePath(joinPath(proxyPathOf(artifactUri), artifactPath))}`,
      expect: 'buffer',
    });
  }

  /** Entries directly under `artifactPath` (paths relative to the run's artifact root). */
  async list(artifactUri: string, artifactPath = ''): Promise<FileInfo[]> {
    try {
      const res = await this.http.request<{ files?: FileInfo[] }>({
        method: 'GET', path: PROXY, query: { path: joinPath(proxyPathOf(artifactUri), artifactPath) },
      });
      return (res.files ?? []).map((f) => ({ ...f, path: joinPath(artifactPath, f.path), file_size: f.file_size === undefined ? undefined : Number(f.file_size) }));
    } catch (err) {
      if (err instanceof MlflowApiError && err.status === 404) return [];
      throw err;
    }
  }

  /** Every file under `artifactPath`, recursively. */
  async listRecursive(artifactUri: string, artifactPath = ''): Promise<FileInfo[]> {
    const out: FileInfo[] = [];
    for (const entry of await this.list(artifactUri, artifactPath)) {
      if (entry.is_dir) out.push(...(await this.listRecursive(artifactUri, entry.path)));
      else out.push(entry);
    }
    return out;
  }
}

/** Relative paths of every file under `dir`, sorted. */
export function listFilesRecursively(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? path.join(rel, entry.name) : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/').replace(/\/+/g, '/').replace(/^\/|\/$/g, '');
}

function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}
