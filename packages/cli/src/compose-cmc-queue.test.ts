import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { createBuildContext, loadCheckpoint, prepareRun, SeededRng } from '@contrastive/framework';
import { runCli } from './run-cli';

/**
 * Two plugins composed through the framework: CMC's views (@contrastive/plugin-cmc) with
 * MoCo's FIFO queue (@contrastive/plugin-moco) as the negatives slot. Neither plugin knows
 * the other; the framework builds one negatives sampler per view (API 1.4), so there is one
 * queue per view, holding that view's past keys, shared by every pair that contrasts against
 * that view. Loaded by package name, as a user's config does.
 */
describe('cmc views with the moco queue', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmc-queue-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const config = (outputDir: string) => [
    'name: cmc-queue', 'seed: 4',
    'plugins: ["@contrastive/plugin-moco", "@contrastive/plugin-cmc"]',
    'data: { use: synthetic, channels: 3, batchSize: 8, trainCount: 64, testCount: 8, height: 12, width: 12 }',
    'method: { use: cmc }',
    'encoder: { use: convnet, channels: [4, 8], embeddingDim: 8 }',
    'negatives: { use: queue, size: 20 }',
    `train: { steps: 3, optimizer: { use: adam, lr: 0.003 }, outputDir: ${JSON.stringify(outputDir)} }`,
    'tracking: { uri: none }',
  ].join('\n');

  /** The queues a run starts with: the method built as the trainer builds it (second fork of the run's RNG). */
  function initialQueues(file: string): Map<string, number[][]> {
    const prepared = prepareRun({ configPath: file });
    const rng = new SeededRng(prepared.config.seed);
    rng.fork();
    const ctx = createBuildContext(prepared.registry, { rng: rng.fork(), inputShape: [12, 12, 3], baseDir: dir, slots: prepared.slots, trainingExamples: 64 });
    const method = ctx.build('method', prepared.config.method);
    const out = new Map([...method.namedVariables()].filter(([n]) => n.endsWith('/queue/keys')).map(([n, v]) => [n, v.arraySync() as number[][]]));
    method.dispose();
    return out;
  }

  it('keeps one queue per view, each refilled with that view\'s keys', async () => {
    const file = path.join(dir, 'cmc-queue.yaml');
    fs.writeFileSync(file, config(path.join(dir, 'runs')));
    const r = await runCli(['train', file, '--json', '--quiet'], dir);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(summary.status).toBe('FINISHED');

    const initial = initialQueues(file);
    expect([...initial.keys()].sort()).toEqual(['view-L/queue/keys', 'view-ab/queue/keys']);
    const { tensors } = loadCheckpoint(summary.checkpoint);
    const queue = (name: string) => tensors.get(name)!.arraySync() as number[][];
    for (const name of initial.keys()) {
      const after = queue(name);
      expect(after).toHaveLength(20);
      // 3 steps of 8 keys pushed through a queue of 20: every row is a new unit-length key.
      after.forEach((row, i) => {
        expect(Math.hypot(...row)).toBeCloseTo(1, 4);
        expect(row).not.toEqual(initial.get(name)![i]);
      });
    }
    // The two views' queues hold different keys (each view's own encoder made them).
    expect(queue('view-L/queue/keys')).not.toEqual(queue('view-ab/queue/keys'));
    tf.dispose([...tensors.values()]);
  });
});
