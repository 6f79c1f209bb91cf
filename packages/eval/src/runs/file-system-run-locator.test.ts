import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UserInputError } from '@contrastive/framework';
import { FileSystemRunLocator } from './file-system-run-locator';

describe('FileSystemRunLocator', () => {
  let dir: string;
  const runs = () => path.join(dir, 'runs');
  const makeRun = (name: string, { checkpoint = true, experiment }: { checkpoint?: boolean; experiment?: string } = {}) => {
    const runDir = path.join(runs(), name);
    fs.mkdirSync(runDir, { recursive: true });
    fs.writeFileSync(path.join(runDir, 'config.resolved.json'), JSON.stringify({ name: 'x', tracking: experiment ? { experiment } : {} }));
    fs.writeFileSync(path.join(runDir, 'status.json'), JSON.stringify({ status: 'FINISHED' }));
    if (checkpoint) for (const step of [5, 12]) fs.mkdirSync(path.join(runDir, 'checkpoints', `step-${String(step).padStart(8, '0')}`), { recursive: true });
    return runDir;
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-locate-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds a run by its full name, by the end of it, or by its folder path', async () => {
    const a = makeRun('quick-20261128T074549-9cf7ab');
    makeRun('quick-20261128T080000-123456', { checkpoint: false });
    fs.mkdirSync(path.join(runs(), 'not-a-run-9cf7ab'));
    const locator = new FileSystemRunLocator(runs(), dir);
    const run = await locator.locate('9cf7ab');
    expect(run).toMatchObject({ runId: 'quick-20261128T074549-9cf7ab', runDir: a, status: 'FINISHED' });
    expect(run.checkpoint).toBe(path.join(a, 'checkpoints', 'step-00000012'));
    expect((await locator.locate('quick-20261128T074549-9cf7ab')).runDir).toBe(a);
    expect((await locator.locate('runs/quick-20261128T074549-9cf7ab')).runDir).toBe(a);
    expect((await locator.locate('123456')).checkpoint).toBeNull();
    expect((await locator.listRuns()).map((r) => r.runId)).toEqual(['quick-20261128T074549-9cf7ab', 'quick-20261128T080000-123456']);
  });

  it('says where it looked when no run, or several, match', async () => {
    makeRun('a-111');
    makeRun('b-111');
    const locator = new FileSystemRunLocator(runs(), dir);
    await expect(locator.locate('999')).rejects.toThrow(UserInputError);
    await expect(locator.locate('999')).rejects.toThrow(`--run 999: no run with this id under ${runs()} (looked for a run folder named or ending with it); runs there: a-111, b-111`);
    await expect(locator.locate('111')).rejects.toThrow(/2 runs under .* end with this id; give more of it\n {2}- a-111\n {2}- b-111/);
    await expect(new FileSystemRunLocator(path.join(dir, 'nowhere'), dir).locate('111')).rejects.toThrow(/the runs folder .*nowhere does not exist/);
  });
});
