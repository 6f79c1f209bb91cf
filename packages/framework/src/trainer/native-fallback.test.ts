import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import * as tf from '@tensorflow/tfjs';
import { runTraining } from './run-training';

// What a machine without libtensorflow sees: requiring the native backend throws (as
// `dlopen` does when deps/lib is gone). Everything else loads as usual.
jest.mock('@tensorflow/tfjs-node', () => {
  throw Object.assign(new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory'), {
    code: 'ERR_DLOPEN_FAILED',
  });
});

test('without the native backend, backend: auto trains on wasm after a one-line notice', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-fallback-'));
  const log = new PassThrough();
  let text = '';
  log.on('data', (d) => (text += String(d)));
  try {
    const summary = await runTraining({
      raw: {
        name: 'fallback',
        backend: 'auto',
        data: { use: 'synthetic', batchSize: 16, trainCount: 64, testCount: 16 },
        encoder: { use: 'convnet', channels: [4, 8], embeddingDim: 8 },
        train: { steps: 3, outputDir: tmp, logEvery: 1 },
        tracking: { uri: 'none' }, // tags.json in the run folder
      },
      log,
    });
    expect(summary.status).toBe('FINISHED');
    expect(summary.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(Number.isFinite(summary.finalLoss)).toBe(true);
    const notices = text.split('\n').filter((l) => l.startsWith('note: native TensorFlow backend unavailable'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/libtensorflow\.so\.2: cannot open shared object file.*training on wasm/);
    const tags = JSON.parse(fs.readFileSync(path.join(summary.runDir, 'tags.json'), 'utf8'));
    expect(tags).toMatchObject({ backend: 'wasm', 'backend.provider': 'wasm' });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
