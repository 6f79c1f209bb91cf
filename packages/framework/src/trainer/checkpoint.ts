import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';

export const CHECKPOINT_FORMAT = 'contrastive-checkpoint/1';

/** Everything besides tensors that a resumed run needs to continue exactly. */
export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  step: number;
  totalSteps: number;
  /** Run RNG state (augmentations, initialisation) at this step. */
  rng: number[];
  /** Batch iterator state (epoch, position, permutation). */
  iterator: unknown;
  /** Digest of the config parts that shape the model; resume refuses a mismatch. */
  configDigest: string;
  runId: string;
  /** The tracker's run id (MLflow's) when the checkpoint was saved; `--resume` continues that run. */
  trackerRunId?: string;
  savedAt: string;
  /** Loss of the last completed step. */
  loss: number | null;
}

interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

/**
 * Writes `state.json` + `weights.bin` into `dir` atomically: the files go into a sibling
 * temporary folder that is renamed into place, so a crash never leaves a half checkpoint
 * and an existing checkpoint at `dir` is only replaced by a complete one.
 */
export function saveCheckpoint(dir: string, meta: CheckpointMeta, tensors: Map<string, tf.Tensor>): void {
  const entries: TensorEntry[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
    const data = t.dataSync();
    const typed = dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data);
    const buf = Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength);
    entries.push({ name, shape: t.shape, dtype, offset, length: buf.length });
    chunks.push(buf);
    offset += buf.length;
  }
  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  fs.writeFileSync(path.join(tmp, 'weights.bin'), Buffer.concat(chunks));
  fs.writeFileSync(path.join(tmp, 'state.json'), JSON.stringify({ ...meta, tensors: entries }, null, 2));
  const old = `${dir}.old-${process.pid}`;
  if (fs.existsSync(dir)) fs.renameSync(dir, old);
  fs.renameSync(tmp, dir);
  fs.rmSync(old, { recursive: true, force: true });
}

export interface LoadedCheckpoint {
  meta: CheckpointMeta;
  /** Tensor values by name; the caller assigns and disposes them. */
  tensors: Map<string, tf.Tensor>;
}

/** Reads a checkpoint written by saveCheckpoint; errors name the file that is wrong. */
export function loadCheckpoint(dir: string): LoadedCheckpoint {
  const statePath = path.join(dir, 'state.json');
  if (!fs.existsSync(statePath)) throw new Error(`no checkpoint at ${dir} (missing state.json)`);
  const parsed = JSON.parse(fs.readFileSync(statePath, 'utf8')) as CheckpointMeta & { tensors: TensorEntry[] };
  if (parsed.format !== CHECKPOINT_FORMAT) {
    throw new Error(`${statePath}: unsupported checkpoint format ${JSON.stringify(parsed.format)}`);
  }
  const bin = fs.readFileSync(path.join(dir, 'weights.bin'));
  const tensors = new Map<string, tf.Tensor>();
  for (const e of parsed.tensors) {
    if (e.offset + e.length > bin.length) throw new Error(`${dir}/weights.bin is truncated at ${e.name}`);
    const slice = bin.buffer.slice(bin.byteOffset + e.offset, bin.byteOffset + e.offset + e.length);
    const values = e.dtype === 'int32' ? new Int32Array(slice) : new Float32Array(slice);
    tensors.set(e.name, tf.tensor(values, e.shape, e.dtype));
  }
  const { tensors: _entries, ...meta } = parsed;
  return { meta, tensors };
}

/**
 * Assigns checkpoint values to variables by name. Every variable must be present with the
 * same shape; a mismatch names the variable (a different model cannot be resumed).
 */
export function restoreVariables(values: Map<string, tf.Tensor>, variables: Map<string, tf.Variable>, where: string): void {
  for (const [name, v] of variables) {
    const t = values.get(name);
    if (!t) throw new Error(`${where}: checkpoint has no value for ${name}`);
    if (t.shape.join('x') !== v.shape.join('x')) {
      throw new Error(`${where}: ${name} has shape [${t.shape}] in the checkpoint but [${v.shape}] in the model`);
    }
    v.assign(t);
  }
}

/** Directory name of the checkpoint of `step`: sorts in step order. */
export function checkpointDirName(step: number): string {
  return `step-${String(step).padStart(8, '0')}`;
}

/** The newest checkpoint under a run's `checkpoints/` folder, or null. */
export function latestCheckpoint(checkpointsDir: string): string | null {
  if (!fs.existsSync(checkpointsDir)) return null;
  const names = fs.readdirSync(checkpointsDir).filter((n) => /^step-\d{8}$/.test(n)).sort();
  return names.length > 0 ? path.join(checkpointsDir, names[names.length - 1]) : null;
}
