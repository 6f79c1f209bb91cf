import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { expectClose, useTestBackend } from '../test-helpers';
import { loadCheckpoint } from '../trainer/checkpoint';
import { runTraining } from '../trainer/run-training';
import { SeededRng } from '../util/rng';
import { MemoryBankNegatives, type MemoryBankOptions } from './memory-bank-negatives';

/** Made by tools/reference/make_cmc_reference.py: a bank, keys, the batch's indices and the updated bank. */
const reference = JSON.parse(fs.readFileSync(path.join(__dirname, '../../test/fixtures/memory-bank-reference.json'), 'utf8')) as {
  bank: number[][]; keys: number[][]; indices: number[]; momentum: number; updated: number[][];
};

const bankOf = (o: Partial<MemoryBankOptions> = {}) =>
  new MemoryBankNegatives({ size: 6, dim: 3, momentum: 0.5, negatives: 4, positive: 'bank', ...o }, new SeededRng(1));
const ctxOf = (indices: number[], seed = 2) => ({ step: 0, rng: new SeededRng(seed), exampleIndices: Int32Array.from(indices) });

describe('MemoryBankNegatives', () => {
  beforeAll(useTestBackend);

  it('updates only the rows of the batch\'s examples, by the stated momentum (numpy reference)', () => {
    const bank = bankOf({ momentum: reference.momentum });
    bank.entries.assign(tf.tensor2d(reference.bank));
    const keys = tf.tensor2d(reference.keys);
    bank.afterStep(keys, ctxOf(reference.indices));
    const after = bank.entries.arraySync() as number[][];
    expectClose(after, reference.updated, 1e-6);
    // Rows of examples outside the batch are bit-for-bit what they were.
    [0, 2, 3, 5].forEach((r) => expect(after[r]).toEqual(Array.from(Float32Array.from(reference.bank[r]))));
    keys.dispose();
    bank.dispose();
  });

  it('returns the batch\'s bank entries (or keys) and K sampled entries as candidates', () => {
    const bank = bankOf();
    const stored = bank.entries.arraySync() as number[][];
    const keys = tf.tensor2d([[1, 0, 0], [0, 1, 0]]);
    const rng = new SeededRng(9);
    const fromBank = bank.candidates(keys, { step: 0, rng, exampleIndices: Int32Array.from([3, 0]) });
    const copy = new SeededRng(9);
    const sampled = Array.from({ length: 4 }, () => copy.int(6));
    expect(fromBank.shape).toEqual([6, 3]);
    expectClose(fromBank.arraySync(), [stored[3], stored[0], ...sampled.map((i) => stored[i])], 0);
    const withKeys = bankOf({ positive: 'key' });
    const rows = withKeys.candidates(keys, ctxOf([3, 0])).arraySync() as number[][];
    expectClose(rows.slice(0, 2), [[1, 0, 0], [0, 1, 0]], 0);
    tf.dispose([keys, fromBank]);
    bank.dispose();
    withKeys.dispose();
  });

  it('says what is missing when the step has no example indices, or they do not fit', () => {
    const bank = bankOf();
    const keys = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => bank.candidates(keys, { step: 0, rng: new SeededRng(1) })).toThrow(/needs the batch's example indices \(StepContext.exampleIndices\)/);
    expect(() => bank.afterStep(keys, ctxOf([7, 0]))).toThrow('memory-bank.afterStep: example index 7 is outside the bank of 6 entries');
    expect(() => bank.afterStep(keys, ctxOf([1]))).toThrow('memory-bank.afterStep: 1 example indices for 2 keys');
    keys.dispose();
    bank.dispose();
  });

  it('is one non-trainable variable <prefix>/entries [N, D] of unit rows', () => {
    const bank = bankOf();
    expect(bank.trainableVariables()).toEqual([]);
    expect([...bank.namedVariables().keys()]).toEqual(['memory-bank/entries']);
    (bank.entries.arraySync() as number[][]).forEach((r) => expect(Math.hypot(...r)).toBeCloseTo(1, 5));
    bank.dispose();
  });
});

describe('memory-bank negatives in a run', () => {
  let tmp: string;
  beforeAll(useTestBackend);
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'memory-bank-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const config = (checkpointEvery = 0) => ({
    name: 'bank', seed: 5,
    data: { use: 'synthetic', batchSize: 16, trainCount: 64, testCount: 16, height: 12, width: 12 },
    method: { use: 'infonce' },
    encoder: { use: 'convnet', channels: [4, 8], embeddingDim: 8 },
    negatives: { use: 'memory-bank', negatives: 32, momentum: 0.5 },
    train: { steps: 6, checkpointEvery, optimizer: { use: 'adam', lr: 0.003 }, outputDir: tmp },
  });
  const values = (dir: string) => {
    const { tensors } = loadCheckpoint(dir);
    const out = new Map([...tensors].map(([n, t]) => [n, Array.from(t.dataSync())]));
    tf.dispose([...tensors.values()]);
    return out;
  };

  it('sizes the bank by the training set, keeps the tensor count flat, and resumes exactly', async () => {
    const counts: number[] = [];
    const straight = await runTraining({ raw: config(3), silent: true, cwd: tmp, env: {}, onStep: () => counts.push(tf.memory().numTensors) });
    expect(straight.status).toBe('FINISHED');
    expect(new Set(counts.slice(1)).size).toBe(1);
    const final = values(straight.checkpoint!);
    const midway = values(path.join(straight.runDir, 'checkpoints', 'step-00000003'));
    // One entry per training example, of the keys the loss sees: the default head's 128-d output.
    expect(final.get('memory-bank/entries')).toHaveLength(64 * 128);
    // 3 steps of 16 examples changed the rows of (up to) 48 examples since the midway point.
    expect(final.get('memory-bank/entries')).not.toEqual(midway.get('memory-bank/entries'));

    const resumed = await runTraining({
      raw: config(3), silent: true, cwd: tmp, env: {}, resume: path.join(straight.runDir, 'checkpoints', 'step-00000003'),
    });
    const again = values(resumed.checkpoint!);
    for (const [name, v] of final) expectClose(again.get(name), v, 1e-5);
    expect(resumed.finalLoss).toBeCloseTo(straight.finalLoss!, 4);
  });
});
