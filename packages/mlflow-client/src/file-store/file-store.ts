import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MlflowApiError, MlflowExperimentDeletedError } from '../errors';
import { listFilesRecursively } from '../rest/artifacts-client';
import type { TrackingBackend } from '../tracking-backend';
import { MLFLOW_TAGS, type CreateRunRequest, type DatasetInput, type Experiment, type FileInfo, type LogBatch, type Metric, type Run, type RunInfo, type RunStatus } from '../types';
import {
  LAYOUT, RESERVED_EXPERIMENT_FOLDERS, datasetId, datasetInputId, fileUriOf, formatMetricLine, localPathOfUri,
  newExperimentId, newRunId, parseMetricLines, readYaml, statusToCode, writeYaml,
} from './layout';
import { readRun } from './read-run';

/**
 * Writes and reads MLflow's local file store (`./mlruns`) in the layout MLflow itself reads,
 * so `mlflow ui --backend-store-uri ./mlruns` and Python's `mlflow` client see the runs.
 * Writes are synchronous and small; metric lines are appended.
 *
 * @example
 * const store = new FileStore('./mlruns');
 * const exp = await store.getOrCreateExperiment('demo');
 * const run = await store.createRun({ experimentId: exp.experiment_id, runName: 'first' });
 * await store.logBatch(run.run_id, { metrics: [{ key: 'loss', value: 0.5, step: 1, timestamp: Date.now() }] });
 * await store.updateRun(run.run_id, 'FINISHED');
 */
export class FileStore implements TrackingBackend {
  readonly root: string;
  readonly uri: string;
  private readonly runDirs = new Map<string, string>();

  constructor(root: string) {
    this.root = path.resolve(root);
    this.uri = this.root;
  }

  /** Creates the store as MLflow does: the folder, `.trash` and the `Default` experiment 0. */
  ensureRoot(): void {
    if (fs.existsSync(path.join(this.root, LAYOUT.trash))) return;
    const fresh = !fs.existsSync(this.root);
    fs.mkdirSync(path.join(this.root, LAYOUT.trash), { recursive: true });
    if (fresh) this.writeExperiment(LAYOUT.defaultExperimentId, 'Default');
  }

  /** Every experiment, active ones first, then those in the trash. */
  listExperiments(): Experiment[] {
    const read = (parent: string, stage: 'active' | 'deleted') => {
      if (!fs.existsSync(parent)) return [];
      return fs.readdirSync(parent).filter((d) => fs.existsSync(path.join(parent, d, LAYOUT.meta))).map((d) => {
        const meta = readYaml<Experiment>(path.join(parent, d, LAYOUT.meta));
        return { ...meta, experiment_id: String(meta.experiment_id), lifecycle_stage: stage } as Experiment;
      });
    };
    return [...read(this.root, 'active'), ...read(path.join(this.root, LAYOUT.trash), 'deleted')];
  }

  getExperimentByName(name: string): Experiment | null {
    return this.listExperiments().find((e) => e.name === name) ?? null;
  }

  async getOrCreateExperiment(name: string): Promise<Experiment> {
    this.ensureRoot();
    const found = this.getExperimentByName(name);
    if (found?.lifecycle_stage === 'deleted') throw new MlflowExperimentDeletedError(name, found.experiment_id, this.root);
    if (found) return found;
    return this.writeExperiment(newExperimentId(), name);
  }

  /** Moves an experiment to `.trash`, as `mlflow experiments delete` does. */
  deleteExperiment(experimentId: string): void {
    fs.renameSync(path.join(this.root, experimentId), path.join(this.root, LAYOUT.trash, experimentId));
  }

  async createRun(req: CreateRunRequest): Promise<RunInfo> {
    const runId = newRunId();
    const expDir = path.join(this.root, req.experimentId);
    if (!fs.existsSync(path.join(expDir, LAYOUT.meta))) {
      throw new MlflowApiError(404, 'RESOURCE_DOES_NOT_EXIST', `no active experiment ${req.experimentId} in ${this.root}`, 'createRun');
    }
    const dir = path.join(expDir, runId);
    const tags = [...(req.tags ?? [])];
    if (req.runName && !tags.some((t) => t.key === MLFLOW_TAGS.runName)) tags.push({ key: MLFLOW_TAGS.runName, value: req.runName });
    const info: RunInfo = {
      run_id: runId, experiment_id: req.experimentId, run_name: req.runName ?? runId, user_id: req.userId ?? os.userInfo().username,
      status: 'RUNNING', start_time: req.startTime ?? Date.now(), end_time: null,
      artifact_uri: `${fileUriOf(dir)}/${LAYOUT.artifacts}`, lifecycle_stage: 'active',
    };
    this.writeRunInfo(dir, info);
    this.runDirs.set(runId, dir);
    await this.logBatch(runId, { tags });
    return info;
  }

  async getRun(runId: string): Promise<Run> {
    return readRun(this.runDir(runId), path.dirname(this.runDir(runId)));
  }

  /** Every run of an experiment (active experiments only). */
  listRuns(experimentId: string): Run[] {
    const expDir = path.join(this.root, experimentId);
    if (!fs.existsSync(expDir)) return [];
    return fs.readdirSync(expDir)
      .filter((d) => !RESERVED_EXPERIMENT_FOLDERS.has(d) && fs.existsSync(path.join(expDir, d, LAYOUT.meta)))
      .map((d) => readRun(path.join(expDir, d), expDir));
  }

  async findRunsByTag(experimentId: string, key: string, value: string): Promise<Run[]> {
    return this.listRuns(experimentId).filter((r) => r.data.tags.some((t) => t.key === key && t.value === value));
  }

  async updateRun(runId: string, status: RunStatus, endTime?: number | null): Promise<void> {
    const dir = this.runDir(runId);
    const info = readYaml<Record<string, unknown>>(path.join(dir, LAYOUT.meta));
    const end = endTime === undefined ? (status === 'RUNNING' ? null : Date.now()) : endTime;
    writeYaml(path.join(dir, LAYOUT.meta), { ...info, status: statusToCode(status), end_time: end });
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const dir = this.runDir(runId);
    for (const p of batch.params ?? []) {
      const file = path.join(dir, LAYOUT.params, p.key);
      if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') !== p.value) {
        throw new MlflowApiError(400, 'INVALID_PARAMETER_VALUE',
          `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${fs.readFileSync(file, 'utf8')}' for run ID='${runId}'. Attempted logging new value '${p.value}'.`, 'logBatch');
      }
    }
    const byKey = new Map<string, string>();
    for (const m of batch.metrics ?? []) byKey.set(m.key, (byKey.get(m.key) ?? '') + formatMetricLine(m));
    for (const [key, lines] of byKey) appendFile(path.join(dir, LAYOUT.metrics, key), lines);
    for (const p of batch.params ?? []) writeFile(path.join(dir, LAYOUT.params, p.key), p.value);
    for (const t of batch.tags ?? []) writeFile(path.join(dir, LAYOUT.tags, t.key), t.value);
    const name = batch.tags?.find((t) => t.key === MLFLOW_TAGS.runName);
    if (name) {
      const info = readYaml<Record<string, unknown>>(path.join(dir, LAYOUT.meta));
      if (info.run_name !== name.value) writeYaml(path.join(dir, LAYOUT.meta), { ...info, run_name: name.value });
    }
  }

  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    const dir = this.runDir(runId);
    for (const input of datasets) {
      const ds = input.dataset;
      const id = datasetId(ds.name, ds.digest);
      const dsMeta = path.join(path.dirname(dir), LAYOUT.datasets, id, LAYOUT.meta);
      if (!fs.existsSync(dsMeta)) writeYaml(dsMeta, { ...ds });
      const inputMeta = path.join(dir, LAYOUT.inputs, datasetInputId(id, runId), LAYOUT.meta);
      if (!fs.existsSync(inputMeta)) {
        writeYaml(inputMeta, {
          source_type: 'DATASET', source_id: id, destination_type: 'RUN', destination_id: runId,
          tags: Object.fromEntries((input.tags ?? []).map((t) => [t.key, t.value])),
        });
      }
    }
  }

  async logArtifact(runId: string, localPath: string, artifactPath = ''): Promise<void> {
    const dest = path.join(this.artifactRoot(runId), artifactPath, path.basename(path.resolve(localPath)));
    if (path.resolve(localPath) === dest) return;
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.cpSync(localPath, dest, { recursive: true });
  }

  async listArtifacts(runId: string): Promise<FileInfo[]> {
    const root = this.artifactRoot(runId);
    if (!fs.existsSync(root)) return [];
    return listFilesRecursively(root).map((rel) => ({
      path: rel.split(path.sep).join('/'), is_dir: false, file_size: fs.statSync(path.join(root, rel)).size,
    }));
  }

  /** The local folder holding a run's artifacts. */
  artifactRoot(runId: string): string {
    const dir = this.runDir(runId);
    const uri = readYaml<{ artifact_uri?: string }>(path.join(dir, LAYOUT.meta)).artifact_uri;
    const local = uri ? localPathOfUri(uri) : null;
    // A store that was moved keeps its artifacts beside the run, whatever meta.yaml says.
    return local && fs.existsSync(local) ? local : path.join(dir, LAYOUT.artifacts);
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const file = path.join(this.runDir(runId), LAYOUT.metrics, key);
    return fs.existsSync(file) ? parseMetricLines(key, fs.readFileSync(file, 'utf8')) : [];
  }

  /** The folder of a run, searched in every experiment (active and deleted). */
  runDir(runId: string): string {
    const cached = this.runDirs.get(runId);
    if (cached) return cached;
    for (const parent of [this.root, path.join(this.root, LAYOUT.trash)]) {
      if (!fs.existsSync(parent)) continue;
      for (const exp of fs.readdirSync(parent)) {
        const dir = path.join(parent, exp, runId);
        if (fs.existsSync(path.join(dir, LAYOUT.meta))) {
          this.runDirs.set(runId, dir);
          return dir;
        }
      }
    }
    throw new MlflowApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Run '${runId}' not found in ${this.root}`, 'getRun');
  }

  private writeExperiment(id: string, name: string): Experiment {
    const now = Date.now();
    const exp: Experiment = {
      experiment_id: id, name, artifact_location: fileUriOf(path.join(this.root, id)), lifecycle_stage: 'active',
      creation_time: now, last_update_time: now,
    };
    writeYaml(path.join(this.root, id, LAYOUT.meta), { ...exp });
    return exp;
  }

  private writeRunInfo(dir: string, info: RunInfo): void {
    writeYaml(path.join(dir, LAYOUT.meta), {
      ...info, status: statusToCode(info.status), source_type: 4, source_name: '', entry_point_name: '', source_version: '', tags: [],
    });
  }
}

function appendFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, text);
}

function writeFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
