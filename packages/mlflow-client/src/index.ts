/**
 * @contrastive/mlflow-client — a typed MLflow client for Node: the tracking REST API 2.0,
 * the artifact proxy, the local file store (`mlruns/`), an offline-first spooled run and
 * an idempotent sync. Usable on its own.
 */
export * from './types';
export * from './errors';
export * from './limits';
export * from './tracking-backend';
export * from './tracking-uri';
export { authHeaderFromEnv } from './rest/auth';
export { HttpTransport, type HttpOptions, type HttpRequest } from './rest/http-transport';
export { MlflowRestClient, type SearchRunsOptions } from './rest/rest-client';
export { MlflowArtifactsClient, proxyPathOf } from './rest/artifacts-client';
export { ServerBackend } from './rest/server-backend';
export { encodeMetricValue, decodeMetricValue } from './rest/metric-json';
export { FileStore } from './file-store/file-store';
export { LAYOUT as FILE_STORE_LAYOUT, formatMetricLine, parseMetricLines, newRunId } from './file-store/layout';
export { Journal, SPOOL_FORMAT, type SpoolRecord, type SpoolState } from './spool/journal';
export { SpooledRun, type SpooledRunOptions } from './spool/spooled-run';
export { SYNC_ID_TAG, replayPending } from './spool/replay';
export { syncPath, syncSpool, findSyncSources, type SyncOutcome, type SyncSources } from './sync/sync-path';
export { syncFileStoreRun, type RunSyncResult } from './sync/sync-file-store-run';
