import * as path from 'path';
import { MlflowInputError } from './errors';
import { FileStore } from './file-store/file-store';
import { localPathOfUri } from './file-store/layout';
import type { HttpOptions } from './rest/http-transport';
import { ServerBackend } from './rest/server-backend';
import type { TrackingBackend } from './tracking-backend';

/** Where records go: a tracking server or a local file store folder. */
export type TrackingTarget = { kind: 'server'; uri: string } | { kind: 'file'; root: string };

/**
 * Resolves a tracking URI as MLflow does: `http(s)://` is a server; `file:` URIs and plain
 * paths are a file store (relative paths against `cwd`); empty means `./mlruns`.
 * Other schemes (`sqlite:`, `databricks`, ...) are refused with a message.
 */
export function parseTrackingUri(uri: string | undefined, cwd = process.cwd()): TrackingTarget {
  const value = (uri ?? '').trim();
  if (value === '') return { kind: 'file', root: path.resolve(cwd, 'mlruns') };
  if (/^https?:\/\//i.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new MlflowInputError(`tracking URI "${value}" is not a valid URL`);
    }
    return { kind: 'server', uri: value.replace(/\/+$/, '') };
  }
  const local = localPathOfUri(value);
  if (local === null) {
    throw new MlflowInputError(
      `tracking URI "${value}": only http(s):// servers and local file stores (a path or file:// URI) are supported; ` +
        `for a database store, run \`mlflow server --backend-store-uri ${value}\` and use its http:// address`,
    );
  }
  return { kind: 'file', root: path.resolve(cwd, local) };
}

/**
 * The tracking URI in force: MLFLOW_TRACKING_URI wins over the configured one (MLflow's
 * convention), which wins over `./mlruns`.
 */
export function resolveTrackingUri(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.MLFLOW_TRACKING_URI?.trim();
  return fromEnv ? fromEnv : configured;
}

/** A backend for a tracking URI (see parseTrackingUri). */
export function openBackend(uri: string | undefined, options: { cwd?: string; http?: HttpOptions } = {}): TrackingBackend {
  const target = parseTrackingUri(uri, options.cwd);
  return target.kind === 'server' ? new ServerBackend(target.uri, options.http) : new FileStore(target.root);
}
