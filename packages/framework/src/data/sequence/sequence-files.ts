import * as fs from 'fs';
import * as path from 'path';
import type { DataSource, SequenceDataset, Split } from '../../contracts';
import { defineComponent } from '../../registry/component-definition';
import { UserInputError } from '../../registry/errors';
import { BATCH_SIZE_PROPERTY } from '../schema-common';
import { parseCsvSequences } from './csv-sequences';
import { parseNpy } from './npy-reader';

/** Where one split's sequences (and labels) are. */
export interface SequenceSplitFiles {
  /** `.npy` ([N, T] or [N, T, D], float32/float64) or `.csv` (one sequence per row). */
  values: string;
  /** Labels: `.npy` of integers [N], or a text/CSV file with one label per line. */
  labels?: string;
  /** CSV only: the column holding the label (0-based; -1 = last). */
  labelColumn?: number;
}

/** Options of the `sequence-files` data source. */
export interface SequenceFilesOptions {
  batchSize: number;
  train: SequenceSplitFiles;
  test: SequenceSplitFiles;
  /** CSV only: values per step D; a row of T·D numbers is T steps (default 1). */
  dims: number;
}

function readFile(file: string, where: string): Buffer {
  if (!fs.existsSync(file)) throw new UserInputError(`${where}: file ${file} does not exist`);
  return fs.readFileSync(file);
}

/** Label strings -> indices: integers when every label is one, else sorted names. */
function labelIndices(raw: string[]): { labels: Int32Array; classNames: string[] } {
  const allInts = raw.every((l) => /^-?\d+$/.test(l));
  const names = [...new Set(raw)].sort(allInts ? (a, b) => Number(a) - Number(b) : undefined);
  if (allInts && names.every((n) => Number(n) >= 0)) {
    const max = Math.max(...names.map(Number));
    return { labels: Int32Array.from(raw, Number), classNames: Array.from({ length: max + 1 }, (_, i) => String(i)) };
  }
  return { labels: Int32Array.from(raw, (l) => names.indexOf(l)), classNames: names };
}

/**
 * The user's own sequences from `.npy` or CSV files, one split per file (see
 * {@link SequenceSplitFiles}). Paths resolve against the config's folder.
 */
export class SequenceFilesSource implements DataSource {
  readonly name = 'sequence-files';

  constructor(private readonly options: SequenceFilesOptions, private readonly baseDir: string) {}

  async load(split: Split): Promise<SequenceDataset> {
    const spec = this.options[split];
    const where = `data.${split}.values`;
    const file = path.resolve(this.baseDir, spec.values);
    let shape: [number, number];
    let values: Float32Array;
    let count: number;
    let rawLabels: string[] | null = null;
    if (file.endsWith('.npy')) {
      const arr = parseNpy(readFile(file, where), file, 'float');
      if (arr.shape.length !== 2 && arr.shape.length !== 3) {
        throw new UserInputError(`${file}: array of rank ${arr.shape.length} (shape (${arr.shape.join(', ')})); expected [N, T] or [N, T, D]`);
      }
      count = arr.shape[0];
      shape = [arr.shape[1], arr.shape[2] ?? 1];
      values = arr.values as Float32Array;
      if (spec.labelColumn !== undefined) throw new UserInputError(`data.${split}.labelColumn: only CSV files have columns; give labels: for a .npy`);
    } else if (file.endsWith('.csv') || file.endsWith('.txt')) {
      const csv = parseCsvSequences(readFile(file, where).toString('utf8'), file, spec.labelColumn);
      const d = this.options.dims;
      if (csv.rowLength % d !== 0) throw new UserInputError(`${file}: rows of ${csv.rowLength} values are not a whole number of steps of data.dims = ${d}`);
      count = csv.count;
      shape = [csv.rowLength / d, d];
      values = csv.values;
      rawLabels = csv.labels;
    } else {
      throw new UserInputError(`${where}: ${spec.values} is neither .npy nor .csv`);
    }
    if (spec.labels) {
      if (rawLabels) throw new UserInputError(`data.${split}: give labels: or labelColumn:, not both`);
      const lfile = path.resolve(this.baseDir, spec.labels);
      const bytes = readFile(lfile, `data.${split}.labels`);
      if (lfile.endsWith('.npy')) {
        const arr = parseNpy(bytes, lfile, 'int');
        if (arr.shape.length !== 1) throw new UserInputError(`${lfile}: labels must be a 1-D array [N], got shape (${arr.shape.join(', ')})`);
        rawLabels = Array.from(arr.values, String);
      } else {
        rawLabels = bytes.toString('utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
      }
      if (rawLabels.length !== count) throw new UserInputError(`${lfile}: ${rawLabels.length} labels for ${count} sequences in ${file}`);
    }
    const { labels, classNames } = rawLabels ? labelIndices(rawLabels) : { labels: new Int32Array(count).fill(-1), classNames: [] };
    return { name: this.name, split, modality: 'sequence', shape, count, values, labels, numClasses: classNames.length, classNames };
  }
}

const splitSchema = {
  type: 'object',
  properties: {
    values: { type: 'string', minLength: 1, description: '.npy ([N, T] or [N, T, D], float) or .csv (one sequence per row).' },
    labels: { type: 'string', minLength: 1, description: '.npy of integers [N], or a text file with one label per line.' },
    labelColumn: { type: 'integer', minimum: -1, description: 'CSV: the label column (0-based, -1 = last).' },
  },
  required: ['values'],
  additionalProperties: false,
};

/** `data: { use: sequence-files, train: { values: ... }, test: { values: ... } }`. */
export const sequenceFilesData = defineComponent<'data', SequenceFilesOptions>({
  kind: 'data',
  name: 'sequence-files',
  description: 'Your own sequences from .npy ([N, T(, D)]) or CSV files (one sequence per row), with labels.',
  modalities: ['sequence'],
  schema: {
    type: 'object',
    properties: {
      batchSize: BATCH_SIZE_PROPERTY,
      train: splitSchema,
      test: splitSchema,
      dims: { type: 'integer', minimum: 1, default: 1, description: 'CSV: values per step D (a row is T*D numbers, step-major).' },
    },
    required: ['train', 'test'],
    additionalProperties: false,
  },
  create: (options, ctx) => new SequenceFilesSource(options, ctx.baseDir),
});
