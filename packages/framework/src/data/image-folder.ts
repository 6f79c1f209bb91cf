import * as fs from 'fs';
import * as path from 'path';
import type { DataSource, Split } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { UserInputError } from '../registry/errors';
import { checksum32 } from './dataset-cache';
import type { DescribedImageDataset } from './dataset-utils';
import { decodeImage, IMAGE_EXTENSIONS, resizeImage, toChannels, type ResizeMethod } from './image-decode';
import { BATCH_SIZE_PROPERTY } from './schema-common';

/** Options of the `image-folder` data source. */
export interface ImageFolderOptions {
  batchSize: number;
  /** Folder of images; relative paths resolve against the config's directory. */
  path: string;
  height: number;
  width: number;
  channels: 1 | 3;
  testFraction: number;
  resize: ResizeMethod;
}

/** One image file found by scanImageFolder. */
export interface FolderFile {
  /** Path relative to the root folder, with '/' separators. */
  rel: string;
  /** Class index, or -1 when the folder is unlabelled. */
  label: number;
}

/** Result of scanning an image folder: class names (empty when unlabelled) and files in sorted order. */
export interface FolderScan {
  classNames: string[];
  files: FolderFile[];
}

/** FNV-1a hash of a string mapped to [0, 1): decides a file's split from its relative path. */
export function pathFraction(rel: string): number {
  return checksum32(Buffer.from(rel, 'utf8')) / 4294967296;
}

function listDir(dir: string): { dirs: string[]; images: string[] } {
  const dirs: string[] = [];
  const images: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const stat = fs.statSync(path.join(dir, name));
    if (stat.isDirectory()) dirs.push(name);
    else if (stat.isFile() && IMAGE_EXTENSIONS.includes(path.extname(name).toLowerCase())) images.push(name);
  }
  return { dirs, images };
}

/**
 * Finds the images under `root`: one sub-folder per class (labels by sorted folder name) or
 * image files directly in `root` (unlabelled). Sub-folders of class folders and hidden
 * entries are ignored.
 * @throws UserInputError when the folder is missing, mixes class folders with loose images,
 *   or holds no images.
 */
export function scanImageFolder(root: string): FolderScan {
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new UserInputError(`image-folder: folder "${root}" does not exist or is not a directory`);
  }
  const top = listDir(root);
  const kinds = IMAGE_EXTENSIONS.join(', ');
  if (top.dirs.length === 0) {
    if (top.images.length === 0) throw new UserInputError(`image-folder: no images (${kinds}) found in "${root}"`);
    return { classNames: [], files: top.images.map((rel) => ({ rel, label: -1 })) };
  }
  if (top.images.length > 0) {
    throw new UserInputError(
      `image-folder: "${root}" mixes class folders (${top.dirs.join(', ')}) with loose images such as ` +
        `"${top.images[0]}"; put every image in a class folder, or remove the folders for unlabelled data`,
    );
  }
  const files: FolderFile[] = [];
  top.dirs.forEach((dir, label) => {
    const images = listDir(path.join(root, dir)).images;
    if (images.length === 0) {
      throw new UserInputError(`image-folder: class folder "${path.join(root, dir)}" has no images (${kinds})`);
    }
    for (const name of images) files.push({ rel: `${dir}/${name}`, label });
  });
  return { classNames: top.dirs, files };
}

/**
 * A user's PNG/JPEG files, decoded, converted to `channels` and resized to height x width.
 * Each file's split is fixed by a hash of its relative path: test when pathFraction(rel) <
 * testFraction, so adding files never moves other files between splits.
 */
export class ImageFolderSource implements DataSource {
  readonly name = 'image-folder';
  private scan?: FolderScan;

  constructor(readonly root: string, private readonly options: Omit<ImageFolderOptions, 'path' | 'batchSize'>) {}

  async load(split: Split): Promise<DescribedImageDataset> {
    const { height, width, channels, testFraction, resize } = this.options;
    this.scan ??= scanImageFolder(this.root);
    const files = this.scan.files.filter((f) => (pathFraction(f.rel) < testFraction ? 'test' : 'train') === split);
    const size = height * width * channels;
    const images = new Float32Array(files.length * size);
    const labels = new Int32Array(files.length);
    for (let i = 0; i < files.length; i++) {
      const file = path.join(this.root, files[i].rel);
      let decoded;
      try {
        decoded = decodeImage(await fs.promises.readFile(file));
      } catch (err) {
        throw new UserInputError(`image-folder: cannot decode "${file}": ${(err as Error).message}`);
      }
      const src = toChannels(decoded, channels);
      resizeImage(src, decoded.height, decoded.width, channels, images.subarray(i * size, (i + 1) * size), height, width, resize);
      labels[i] = files[i].label;
    }
    const classNames = this.scan.classNames;
    return {
      name: this.name,
      split,
      shape: [height, width, channels],
      count: files.length,
      images,
      labels,
      numClasses: classNames.length,
      ...(classNames.length > 0 ? { classNames } : {}),
      splitRule: `per file: test when FNV-1a(relative path) / 2^32 < ${testFraction}`,
    };
  }
}

/** `data: { use: image-folder, path: ./images }` — a folder of PNG/JPEG images, optionally one sub-folder per class. */
export const imageFolderData = defineComponent<'data', ImageFolderOptions>({
  kind: 'data',
  name: 'image-folder',
  description: 'PNG/JPEG files from a folder: one sub-folder per class, or loose files (unlabelled).',
  schema: {
    type: 'object',
    properties: {
      batchSize: BATCH_SIZE_PROPERTY,
      path: { type: 'string', minLength: 1, description: 'Image folder, relative to the config file.' },
      height: { type: 'integer', minimum: 1, maximum: 4096, default: 28 },
      width: { type: 'integer', minimum: 1, maximum: 4096, default: 28 },
      channels: { type: 'integer', enum: [1, 3], default: 1 },
      testFraction: { type: 'number', minimum: 0, maximum: 1, default: 0.2 },
      resize: { type: 'string', enum: ['bilinear', 'nearest'], default: 'bilinear' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  create: ({ path: folder, batchSize: _batchSize, ...rest }, ctx) =>
    new ImageFolderSource(path.resolve(ctx.baseDir, folder), rest),
});
