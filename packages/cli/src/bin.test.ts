import { spawn } from 'child_process';
import { FileStore } from '@contrastive/mlflow-client';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const bin = path.resolve(__dirname, '../bin/contrastive.js');

/**
 * The installed command, as a user runs it (needs the build: `nx test` builds first).
 * Ctrl-C during training stops after the current step, saves a checkpoint, and the run
 * ends KILLED with exit code 1; the checkpoint resumes.
 */
describe('contrastive binary', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-bin-'));
    fs.writeFileSync(path.join(dir, 'long.yaml'), [
      'name: sigint',
      'data: { use: synthetic, batchSize: 32, trainCount: 256, testCount: 32 }',
      'encoder: { use: convnet, channels: [8], embeddingDim: 8 }',
      'train: { steps: 100000, outputDir: out, logEvery: 1 }',
    ].join('\n'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('saves a checkpoint and ends the run KILLED on Ctrl-C', async () => {
    const env = { ...process.env };
    delete env.MLFLOW_TRACKING_URI;
    const child = spawn(process.execPath, [bin, 'train', 'long.yaml', '--json'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!signalled && /step 3\/100000/.test(stderr)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    // Never leave a training process behind, whatever happens to the test.
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(guard);
    expect(stderr).toMatch(/interrupt: stopping after this step/);
    expect(code).toBe(1);
    const summary = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(summary.status).toBe('KILLED');
    expect(summary.steps).toBeGreaterThanOrEqual(3);
    expect(fs.existsSync(path.join(summary.checkpoint, 'state.json'))).toBe(true);
    // The run is in MLflow's file store ./mlruns (the default), ended KILLED, with its checkpoint.
    const store = new FileStore(path.join(dir, 'mlruns'));
    const run = await store.getRun(summary.runId);
    expect(run.info.status).toBe('KILLED');
    const files = (await store.listArtifacts(summary.runId)).map((f) => f.path);
    expect(files).toContain(`checkpoints/${path.basename(summary.checkpoint)}/state.json`);
  });
});
