import * as fs from 'fs';
import * as path from 'path';
import type { DataSource, SequenceDataset, Split } from '../../contracts';
import { defineComponent } from '../../registry/component-definition';
import { UserInputError } from '../../registry/errors';
import { BATCH_SIZE_PROPERTY } from '../schema-common';
import { parseTsFile, type TsFile } from './ts-format';

/** Options of the `ts-files` data source. */
export interface TsFilesOptions {
  batchSize: number;
  /** The `_TRAIN.ts` and `_TEST.ts` files of a UCR/UEA problem. */
  train: string;
  test: string;
  /** Steps T every series is brought to (default: the longest series of both files). */
  length?: number;
}

/**
 * Series [len][D] -> [T, D] by repeating the last step (shorter) or keeping the first T
 * steps (longer): variable-length problems such as JapaneseVowels (7 to 29 steps) need one T.
 */
function toFixedLength(series: number[][], T: number, D: number, out: Float32Array, offset: number): void {
  for (let t = 0; t < T; t++) {
    const step = series[Math.min(t, series.length - 1)];
    for (let d = 0; d < D; d++) out[offset + t * D + d] = step[d];
  }
}

/**
 * A UCR/UEA time-series classification problem from its `.ts` files (the format of
 * timeseriesclassification.com, sktime and aeon; see the framework README for getting
 * datasets from the `aeon` wheel). Labels are the header's class labels, in header order.
 */
export class TsFilesSource implements DataSource {
  readonly name: string;
  private parsed: Record<Split, TsFile> | null = null;

  constructor(private readonly options: TsFilesOptions, private readonly baseDir: string) {
    this.name = path.basename(options.train).replace(/_?TRAIN\.ts$/i, '').replace(/\.ts$/, '') || 'ts-files';
  }

  private parseBoth(): Record<Split, TsFile> {
    if (this.parsed) return this.parsed;
    const read = (split: Split): TsFile => {
      const file = path.resolve(this.baseDir, this.options[split]);
      if (!fs.existsSync(file)) throw new UserInputError(`data.${split}: file ${file} does not exist`);
      return parseTsFile(fs.readFileSync(file, 'utf8'), file);
    };
    const parsed = { train: read('train'), test: read('test') };
    const labelsOf = (f: TsFile) => JSON.stringify(f.header.classLabels);
    if (labelsOf(parsed.train) !== labelsOf(parsed.test)) {
      throw new UserInputError(`data.test: ${this.options.test} declares class labels ${labelsOf(parsed.test)}, the train file ${labelsOf(parsed.train)}`);
    }
    this.parsed = parsed;
    return parsed;
  }

  async load(split: Split): Promise<SequenceDataset> {
    const both = this.parseBoth();
    const f = both[split];
    const D = f.series[0][0].length;
    const T = this.options.length ?? Math.max(...[...both.train.series, ...both.test.series].map((s) => s.length));
    const values = new Float32Array(f.series.length * T * D);
    f.series.forEach((s, n) => toFixedLength(s, T, D, values, n * T * D));
    const classNames = f.header.classLabels ?? [];
    return {
      name: this.name, split, modality: 'sequence', shape: [T, D], count: f.series.length, values,
      labels: Int32Array.from(f.labels), numClasses: classNames.length, classNames,
    };
  }
}

/** `data: { use: ts-files, train: X_TRAIN.ts, test: X_TEST.ts }`: a UCR/UEA problem. */
export const tsFilesData = defineComponent<'data', TsFilesOptions>({
  kind: 'data',
  name: 'ts-files',
  description: 'A UCR/UEA time-series classification problem from its _TRAIN.ts and _TEST.ts files.',
  modalities: ['sequence'],
  schema: {
    type: 'object',
    properties: {
      batchSize: BATCH_SIZE_PROPERTY,
      train: { type: 'string', minLength: 1, description: 'Path of the _TRAIN.ts file (relative to the config).' },
      test: { type: 'string', minLength: 1, description: 'Path of the _TEST.ts file.' },
      length: { type: 'integer', minimum: 1, description: 'Steps T per series (default: the longest); shorter series repeat their last step, longer ones are cut.' },
    },
    required: ['train', 'test'],
    additionalProperties: false,
  },
  create: (options, ctx) => new TsFilesSource(options, ctx.baseDir),
});
