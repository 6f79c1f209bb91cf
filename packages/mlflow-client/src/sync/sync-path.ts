import * as fs from 'fs';
import * as path from 'path';
import { MlflowInputError } from '../errors';
import { FileStore } from '../file-store/file-store';
import { LAYOUT, RESERVED_EXPERIMENT_FOLDERS, readYaml } from '../file-store/layout';
import { Journal } from '../spool/journal';
import { SYNC_ID_TAG, replayPending } from '../spool/replay';
import type { TrackingBackend } from '../tracking-backend';
import { MLFLOW_TAGS } from '../types';
import { syncFileStoreRun } from './sync-file-store-run';

/** One run found under the source path and what happened to it. */
export interface SyncOutcome {
  kind: 'spool' | 'file-store';
  source: string;
  targetRunId?: string;
  /** Records (spool) or metric values (file store) sent. */
  sent: number;
  /** Records still not on the target (spool), or 0. */
  left: number;
  error?: string;
}

/** Runs found under a path: spool folders and file store run folders. */
export interface SyncSources {
  spools: string[];
  fileStoreRuns: { store: string; runId: string }[];
}

/**
 * Finds what `sync` would push under `source`: a spool folder (`state.json`), a file store
 * (`mlruns/`), one of its experiment or run folders, or any folder containing these
 * (e.g. the training output folder whose runs each have an `mlflow-spool/`), up to 4 levels down.
 */
export function findSyncSources(source: string): SyncSources {
  const found: SyncSources = { spools: [], fileStoreRuns: [] };
  const root = path.resolve(source);
  if (!fs.existsSync(root)) throw new MlflowInputError(`${source}: no such file or folder`);
  const visit = (dir: string, depth: number) => {
    if (Journal.exists(dir)) {
      found.spools.push(dir);
      return;
    }
    const meta = path.join(dir, LAYOUT.meta);
    if (fs.existsSync(meta)) {
      const m = readYaml<Record<string, unknown>>(meta);
      if (m.run_id || m.run_uuid) {
        found.fileStoreRuns.push({ store: path.dirname(path.dirname(dir)), runId: String(m.run_id ?? m.run_uuid) });
      } else if (m.experiment_id !== undefined) {
        for (const d of subdirs(dir)) {
          if (!RESERVED_EXPERIMENT_FOLDERS.has(d) && fs.existsSync(path.join(dir, d, LAYOUT.meta))) {
            found.fileStoreRuns.push({ store: path.dirname(dir), runId: d });
          }
        }
      }
      return;
    }
    if (depth >= 4) return;
    for (const d of subdirs(dir)) if (d !== LAYOUT.trash && d !== 'node_modules') visit(path.join(dir, d), depth + 1);
  };
  visit(root, 0);
  return found;
}

/**
 * Pushes every run found under `source` to `target`, idempotently: spooled records are
 * replayed from where the last attempt stopped, and file store runs are compared with the
 * target and only what it lacks is sent. Parents are synced before their nested runs.
 */
export async function syncPath(source: string, target: TrackingBackend, report: (line: string) => void = () => undefined): Promise<SyncOutcome[]> {
  const { spools, fileStoreRuns } = findSyncSources(source);
  if (target instanceof FileStore && fileStoreRuns.some((r) => path.resolve(r.store) === target.root)) {
    throw new MlflowInputError(`${source} is inside the target file store ${target.root}; choose another target`);
  }
  const outcomes: SyncOutcome[] = [];
  for (const dir of spools) outcomes.push(await syncSpool(dir, target, report));
  const stores = new Map<string, FileStore>();
  const ordered = fileStoreRuns.map((r) => {
    const store = stores.get(r.store) ?? new FileStore(r.store);
    stores.set(r.store, store);
    const tags = fs.existsSync(path.join(store.runDir(r.runId), LAYOUT.tags, ...MLFLOW_TAGS.parentRunId.split('/')));
    return { ...r, store, nested: tags };
  }).sort((a, b) => Number(a.nested) - Number(b.nested));
  for (const r of ordered) {
    try {
      const res = await syncFileStoreRun(r.store, r.runId, target, report);
      outcomes.push({ kind: 'file-store', source: res.source, targetRunId: res.targetRunId, sent: res.metricsSent, left: 0 });
    } catch (err) {
      outcomes.push({ kind: 'file-store', source: r.store.runDir(r.runId), sent: 0, left: 0, error: (err as Error).message });
    }
  }
  return outcomes;
}

/** Replays one spool folder's pending records to `target`. */
export async function syncSpool(dir: string, target: TrackingBackend, report: (line: string) => void): Promise<SyncOutcome> {
  const journal = Journal.open(dir);
  if (journal.pending().length === 0) return { kind: 'spool', source: dir, targetRunId: journal.state.serverRunId, sent: 0, left: 0 };
  try {
    if (journal.state.uri !== target.uri) await retarget(journal, target);
    const sent = await replayPending(journal, target, report);
    return { kind: 'spool', source: dir, targetRunId: journal.state.serverRunId, sent, left: journal.pending().length };
  } catch (err) {
    return { kind: 'spool', source: dir, targetRunId: journal.state.serverRunId, sent: 0, left: journal.pending().length, error: (err as Error).message };
  }
}

/**
 * Points a spool at another address. Its run may already exist there (the same server
 * under a new address): it is found by its sync id. A run that was created elsewhere and
 * cannot be found cannot take the remaining records.
 */
async function retarget(journal: Journal, target: TrackingBackend): Promise<void> {
  const { state } = journal;
  if (!state.serverRunId) {
    journal.update({ uri: target.uri, experimentId: undefined });
    return;
  }
  const exp = await target.getOrCreateExperiment(state.experimentName);
  const runs = await target.findRunsByTag(exp.experiment_id, SYNC_ID_TAG, state.localRunId);
  if (runs.length === 0) {
    throw new MlflowInputError(`the run of this spool was created at ${state.uri} (run ${state.serverRunId}) and is not at ${target.uri}; ` +
      `sync the spool to ${state.uri}${state.uri.includes('://') ? '' : `, or first push that store's runs (sync ${state.uri} --to ${target.uri})`}`);
  }
  journal.update({ uri: target.uri, serverRunId: runs[0].info.run_id, experimentId: exp.experiment_id });
}

function subdirs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}
