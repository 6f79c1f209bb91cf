import * as fs from 'fs';
import * as path from 'path';
import { UserInputError } from '../registry/errors';
import { latestCheckpoint } from './checkpoint';

/**
 * The checkpoint `--resume <ref>` names: a checkpoint folder, a run folder (its latest
 * checkpoint), a run id under the output folder, or the run's MLflow run id.
 */
export function findCheckpoint(ref: string, outputDir: string, cwd: string): string {
  const candidates = [path.resolve(cwd, ref), path.join(outputDir, ref)];
  if (fs.existsSync(outputDir)) {
    for (const d of fs.readdirSync(outputDir)) if (d.endsWith(ref)) candidates.push(path.join(outputDir, d));
  }
  for (const c of candidates) {
    if (fs.existsSync(path.join(c, 'state.json'))) return c;
    const latest = latestCheckpoint(path.join(c, 'checkpoints'));
    if (latest) return latest;
  }
  const byTrackerId = findByTrackerRunId(ref, outputDir);
  if (byTrackerId) return byTrackerId;
  throw new UserInputError(`--resume ${ref}: no checkpoint found (looked for a checkpoint folder, a run folder, or a run id under ${outputDir})`);
}

/**
 * The latest checkpoint of the run folder whose tracker run id (MLflow's) is `ref`: from
 * the checkpoint itself, or from the MLflow spool, which knows both the id a run started
 * with and the server's id.
 */
function findByTrackerRunId(ref: string, outputDir: string): string | null {
  if (!/^[0-9a-f]{32}$/.test(ref) || !fs.existsSync(outputDir)) return null;
  for (const d of fs.readdirSync(outputDir)) {
    const latest = latestCheckpoint(path.join(outputDir, d, 'checkpoints'));
    if (!latest) continue;
    const ids = [readJson(path.join(latest, 'state.json'))?.trackerRunId];
    const spool = readJson(path.join(outputDir, d, 'mlflow-spool', 'state.json'));
    ids.push(spool?.localRunId, spool?.serverRunId);
    if (ids.includes(ref)) return latest;
  }
  return null;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}
