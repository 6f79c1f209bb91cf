import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { prepareRun } from '../trainer/prepare-run';
import { ConfigError } from './config-error';

/**
 * Images vs sequences (framework API 1.3.0): a config whose data modality its encoder or
 * method does not take is refused by prepareRun, before anything is built.
 */
describe('modality check', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-modality-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (lines: string[]) => {
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, lines.join('\n'));
    return file;
  };

  it('refuses an image encoder on sequence data, naming both with file and lines, allocating no tensor', () => {
    const file = write([
      'name: x', 'data: { use: synthetic-sequence, batchSize: 8 }', 'method: { use: infonce }',
      'encoder: { use: convnet }', 'train: { steps: 1 }',
    ]);
    const before = tf.memory().numTensors;
    let error: unknown;
    try {
      prepareRun({ configPath: file });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(`${file}:4: encoder.use: encoder "convnet" takes images [B, H, W, C], but data "synthetic-sequence" (data.use, line 2) yields sequences [B, T, D]`);
    expect(message).toContain(`${file}:3: method.use: method "infonce" takes images [B, H, W, C]`);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a sequence encoder on image data', () => {
    expect(() => prepareRun({ raw: { name: 'x', data: { use: 'synthetic' }, method: { use: 'infonce' }, encoder: { use: 'conv1d' }, train: { steps: 1 } } }))
      .toThrow(/encoder\.use: encoder "conv1d" takes sequences \[B, T, D\], but data "synthetic" \(data\.use\) yields images \[B, H, W, C\]/);
  });

  it('names the method default when the encoder comes from it', () => {
    expect(() => prepareRun({ raw: { name: 'x', data: { use: 'image-rows' }, method: { use: 'infonce' }, train: { steps: 1 } } }))
      .toThrow(/method\.use: encoder "convnet" \(the default encoder of method "infonce"; set encoder: to one that takes sequences \[B, T, D\]\) takes images/);
  });

  it('keeps every image config valid: the repository recipes prepare as before', () => {
    const root = path.resolve(__dirname, '../../../..');
    expect(() => prepareRun({ configPath: path.join(root, 'configs/quickstart.yaml') })).not.toThrow();
    expect(() => prepareRun({ raw: { name: 'x', data: { use: 'synthetic' }, method: { use: 'infonce' }, encoder: { use: 'mlp' }, train: { steps: 1 } } })).not.toThrow();
  });
});
