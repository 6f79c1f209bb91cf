import * as fs from 'fs';
import * as path from 'path';
import type { FileStore } from '../file-store/file-store';
import { SYNC_ID_TAG } from '../spool/replay';
import type { TrackingBackend } from '../tracking-backend';
import { MLFLOW_TAGS, fromTagList, toTagList, type Metric } from '../types';

/** What one run's sync did. */
export interface RunSyncResult {
  source: string;
  localRunId: string;
  targetRunId: string;
  created: boolean;
  metricsSent: number;
  paramsSent: number;
  artifactsSent: number;
}

/**
 * Copies one run of a local file store to another backend, sending only what the target
 * lacks: the target run is found by its sync id (`contrastive.sync_id`, else the local run
 * id), params missing there, every tag, metric values not yet in its history, missing or
 * changed artifact files, dataset inputs and the status. Running it twice sends nothing new.
 * A `mlflow.parentRunId` pointing at a run synced earlier is translated to the target's id.
 */
export async function syncFileStoreRun(store: FileStore, runId: string, target: TrackingBackend, report: (line: string) => void): Promise<RunSyncResult> {
  const run = await store.getRun(runId);
  const experiment = store.listExperiments().find((e) => e.experiment_id === run.info.experiment_id);
  const exp = await target.getOrCreateExperiment(experiment?.name ?? 'Default');
  const tags = fromTagList(run.data.tags);
  const syncId = tags[SYNC_ID_TAG] ?? run.info.run_id;
  tags[SYNC_ID_TAG] = syncId;
  const parent = tags[MLFLOW_TAGS.parentRunId];
  if (parent) {
    const mapped = await target.findRunsByTag(exp.experiment_id, SYNC_ID_TAG, parent);
    if (mapped.length > 0) tags[MLFLOW_TAGS.parentRunId] = mapped[0].info.run_id;
  }

  const existing = (await target.findRunsByTag(exp.experiment_id, SYNC_ID_TAG, syncId))[0];
  const targetRun = existing ?? { info: await target.createRun({
    experimentId: exp.experiment_id, runName: run.info.run_name, startTime: run.info.start_time, tags: toTagList(tags), userId: run.info.user_id,
  }), data: { params: [], metrics: [], tags: [] } };
  const targetId = targetRun.info.run_id;

  const have = fromTagList(targetRun.data.params);
  const params = run.data.params.filter((p) => {
    if (have[p.key] === undefined) return true;
    if (have[p.key] !== p.value) report(`param "${p.key}" differs on ${target.uri} ("${have[p.key]}" there, "${p.value}" here); MLflow params cannot change`);
    return false;
  });
  const metrics: Metric[] = [];
  for (const key of run.data.metrics.map((m) => m.key)) {
    const there = existing ? await target.getMetricHistory(targetId, key) : [];
    const seen = new Map<string, number>();
    for (const m of there) seen.set(identity(m), (seen.get(identity(m)) ?? 0) + 1);
    for (const m of await store.getMetricHistory(runId, key)) {
      const n = seen.get(identity(m)) ?? 0;
      if (n > 0) seen.set(identity(m), n - 1);
      else metrics.push(m);
    }
  }
  await target.logBatch(targetId, { params, tags: toTagList(tags), metrics });
  if ((run.inputs?.dataset_inputs ?? []).length > 0) await target.logInputs(targetId, run.inputs!.dataset_inputs!);

  const remote = new Map((existing ? await target.listArtifacts(targetId) : []).map((f) => [f.path, f.file_size]));
  let artifactsSent = 0;
  for (const file of await store.listArtifacts(runId)) {
    if (remote.get(file.path) === file.file_size) continue;
    const local = path.join(store.artifactRoot(runId), ...file.path.split('/'));
    if (!fs.existsSync(local)) continue;
    await target.logArtifact(targetId, local, path.posix.dirname(file.path) === '.' ? '' : path.posix.dirname(file.path));
    artifactsSent += 1;
  }
  if (targetRun.info.status !== run.info.status || (targetRun.info.end_time ?? null) !== (run.info.end_time ?? null)) {
    await target.updateRun(targetId, run.info.status, run.info.end_time ?? null);
  }
  return {
    source: store.runDir(runId), localRunId: runId, targetRunId: targetId, created: !existing,
    metricsSent: metrics.length, paramsSent: params.length, artifactsSent,
  };
}

/**
 * A metric value's identity in a history: step, timestamp and value (NaN equal to NaN;
 * +-Infinity as the +-1.8e308 that MLflow's database stores keep instead).
 */
function identity(m: Metric): string {
  const v = Number.isNaN(m.value) ? 'nan' : Number.isFinite(m.value) ? m.value : Math.sign(m.value) * Number.MAX_VALUE;
  return `${m.step}|${m.timestamp}|${v}`;
}
