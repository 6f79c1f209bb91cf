import * as fs from 'fs';
import { MlflowApiError, MlflowError, isAuthError, isTransient } from '../errors';
import { checkBatch } from '../limits';
import { decodeMetricValue } from '../rest/metric-json';
import type { TrackingBackend } from '../tracking-backend';
import { toTagList, type LogBatch } from '../types';
import type { Journal, SpoolRecord } from './journal';

/** Tag that ties a server run to the local run it was made from; makes replays idempotent. */
export const SYNC_ID_TAG = 'contrastive.sync_id';

// Consecutive batches are merged into one logBatch call (which splits to the server's limits).
const MERGE_METRICS = 5000;

/**
 * Sends a journal's pending records to the backend, in order, acknowledging each as it
 * lands. Idempotent: the run is found again by its sync id, params and tags are
 * re-sendable, and a metric sent twice with the same timestamp is stored once by MLflow's
 * database stores.
 *
 * A record the backend refuses for its content (a bad key, a changed param) is reported
 * through `report` and skipped, so it cannot block the rest; transient failures
 * (unreachable, 5xx, 429) and refusals of the whole run (credentials, a deleted
 * experiment) are thrown, leaving the rest pending.
 *
 * @returns the number of records acknowledged
 */
export async function replayPending(journal: Journal, backend: TrackingBackend, report: (line: string) => void): Promise<number> {
  const pending = [...journal.pending()];
  let acked = 0;
  for (let i = 0; i < pending.length;) {
    const rec = pending[i];
    if (rec.op === 'batch') {
      let j = i;
      let count = 0;
      const merged: LogBatch = { metrics: [], params: [], tags: [] };
      while (j < pending.length && pending[j].op === 'batch' && count < MERGE_METRICS) {
        const b = pending[j] as Extract<SpoolRecord, { op: 'batch' }>;
        merged.metrics!.push(...b.metrics.map(([key, value, timestamp, step]) => ({ key, value: decodeMetricValue(value), timestamp, step })));
        merged.params!.push(...toTagList(b.params));
        merged.tags!.push(...toTagList(b.tags));
        count += b.metrics.length + 1;
        j++;
      }
      await sendBatch(backend, serverRun(journal), merged, report);
      journal.ack(pending[j - 1].seq);
      acked += j - i;
      i = j;
      continue;
    }
    await applyRecord(journal, backend, rec, report);
    acked += 1;
    i += 1;
  }
  return acked;
}

async function applyRecord(journal: Journal, backend: TrackingBackend, rec: SpoolRecord, report: (line: string) => void): Promise<void> {
  switch (rec.op) {
    case 'start': {
      if (journal.state.serverRunId) break;
      const exp = await backend.getOrCreateExperiment(rec.experimentName);
      let runId: string | undefined;
      if (rec.resumeRunId) runId = await reopen(backend, rec.resumeRunId, report);
      if (!runId) {
        const existing = await backend.findRunsByTag(exp.experiment_id, SYNC_ID_TAG, journal.state.localRunId);
        runId = existing[0]?.info.run_id ?? (await backend.createRun({
          experimentId: exp.experiment_id, runName: rec.runName, startTime: rec.startTime,
          tags: toTagList({ ...rec.tags, [SYNC_ID_TAG]: journal.state.localRunId }),
        })).run_id;
      }
      journal.ack(rec.seq, { serverRunId: runId, experimentId: exp.experiment_id });
      return;
    }
    case 'inputs':
      await backend.logInputs(serverRun(journal), rec.datasets);
      break;
    case 'artifact':
      if (!fs.existsSync(rec.localPath)) {
        report(`artifact ${rec.localPath} no longer exists; it was not uploaded`);
        break;
      }
      await backend.logArtifact(serverRun(journal), rec.localPath, rec.artifactPath);
      break;
    case 'status':
      await backend.updateRun(serverRun(journal), rec.status, rec.endTime);
      break;
    default:
      break;
  }
  journal.ack(rec.seq);
}

async function reopen(backend: TrackingBackend, runId: string, report: (line: string) => void): Promise<string | undefined> {
  try {
    await backend.getRun(runId);
    await backend.updateRun(runId, 'RUNNING', null);
    return runId;
  } catch (err) {
    if (!(err instanceof MlflowApiError) || err.errorCode !== 'RESOURCE_DOES_NOT_EXIST') throw err;
    report(`run ${runId} does not exist at ${backend.uri}; the resumed run is recorded as a new run`);
    return undefined;
  }
}

function serverRun(journal: Journal): string {
  const id = journal.state.serverRunId;
  if (!id) throw new MlflowError(`spool of run ${journal.state.localRunId} has records before its start record`);
  return id;
}

/**
 * Sends one batch; if the backend refuses it for its content, sends params, tags and
 * metrics separately and then one by one, so only the refused records are lost (and reported).
 */
async function sendBatch(backend: TrackingBackend, runId: string, raw: LogBatch, report: (line: string) => void): Promise<void> {
  const { batch, problems } = checkBatch(raw);
  // Truncations and non-finite values were reported when they were logged; dropped keys are news here.
  for (const p of problems.filter((x) => x.action === 'dropped')) {
    report(`${p.kind} "${p.key}" not recorded: ${p.reason}`);
  }
  try {
    await backend.logBatch(runId, batch);
    return;
  } catch (err) {
    if (!isContentRefusal(err)) throw err;
  }
  const singles: [string, LogBatch][] = [
    ...batch.params.map((p): [string, LogBatch] => [`param "${p.key}"`, { params: [p] }]),
    ...batch.tags.map((t): [string, LogBatch] => [`tag "${t.key}"`, { tags: [t] }]),
  ];
  const byKey = new Map<string, LogBatch>();
  for (const m of batch.metrics) byKey.set(m.key, { metrics: [...(byKey.get(m.key)?.metrics ?? []), m] });
  singles.push(...[...byKey].map(([key, b]): [string, LogBatch] => [`metric "${key}"`, b]));
  for (const [what, single] of singles) {
    try {
      await backend.logBatch(runId, single);
    } catch (err) {
      if (!isContentRefusal(err)) throw err;
      report(`${what} not recorded: ${(err as MlflowApiError).serverMessage}`);
    }
  }
}

/** A refusal of the records themselves (HTTP 400/404 on them), not of the server or the user. */
function isContentRefusal(err: unknown): boolean {
  return err instanceof MlflowApiError && !isTransient(err) && !isAuthError(err) && err.status >= 400 && err.status < 500;
}
