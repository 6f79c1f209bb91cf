import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileSystemRunLocator } from '../runs/file-system-run-locator';
import { EVAL_DEFAULTS } from '../options/eval-options';
import { experimentRuns } from './experiment-runs';
import { formatExperimentReport } from './markdown-report';

describe('experiment report', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrastive-report-'));
    const run = (name: string, experiment: string | undefined, epochs: number, evals: { createdAt: string; linear: number }[]) => {
      const runDir = path.join(dir, name);
      fs.mkdirSync(path.join(runDir, 'checkpoints', 'step-00000100'), { recursive: true });
      fs.writeFileSync(path.join(runDir, 'config.resolved.json'), JSON.stringify({
        name, method: { use: 'infonce' }, resolvedSlots: { encoder: { use: 'resnet-mini' } }, data: { batchSize: 128 },
        train: { epochs }, tracking: experiment ? { experiment } : {},
      }));
      evals.forEach((e, i) => {
        const evalDir = path.join(runDir, 'evals', `eval-${i}`);
        fs.mkdirSync(evalDir, { recursive: true });
        fs.writeFileSync(path.join(evalDir, 'eval.json'), JSON.stringify({
          evalId: `eval-${i}`, createdAt: e.createdAt, options: EVAL_DEFAULTS,
          data: { name: 'fashion-mnist', trainCount: 60000, testCount: 10000, numClasses: 10, shape: [28, 28, 1] },
          run: { name, method: 'infonce', encoder: 'resnet-mini', epochs, steps: 100 * epochs, batchSize: 128, experiment: experiment ?? 'contrastive' },
          metrics: {
            'linear.top1': e.linear, 'knn.top1': e.linear - 0.01, 'label_1pct.top1': 0.6, 'label_10pct.top1': 0.7,
            'delta_untrained.linear.top1': 0.05, 'delta_untrained.knn.top1': 0.04, 'delta_raw_pixels.linear.top1': -0.0123, 'delta_raw_pixels.knn.top1': 0.002,
          },
        }));
      });
    };
    run('short-aaa', 'sweep', 1, [{ createdAt: '2026-11-28T08:00:00Z', linear: 0.70 }]);
    run('long-bbb', 'sweep', 10, [{ createdAt: '2026-11-28T08:00:00Z', linear: 0.5 }, { createdAt: '2026-11-28T09:00:00Z', linear: 0.8 }]);
    run('unevaluated-ccc', 'sweep', 3, []);
    run('other-ddd', undefined, 1, []);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('collects the runs of one experiment with their newest evaluation', async () => {
    const runs = await experimentRuns(new FileSystemRunLocator(dir), 'sweep');
    expect(runs.map((r) => r.runId).sort()).toEqual(['long-bbb', 'short-aaa', 'unevaluated-ccc']);
    expect(runs.find((r) => r.runId === 'long-bbb')!.latestEval!.evalId).toBe('eval-1');
    expect((await experimentRuns(new FileSystemRunLocator(dir), 'contrastive')).map((r) => r.runId)).toEqual(['other-ddd']);
  });

  it('writes a Markdown table, best linear top-1 first, unevaluated runs last', async () => {
    const md = formatExperimentReport('sweep', await experimentRuns(new FileSystemRunLocator(dir), 'sweep'));
    const rows = md.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toBe('| `long-bbb` | infonce | resnet-mini | 10 | 1000 steps × 128 (128,000 images) | 80.00 | 79.00 | 60.00 | 70.00 | +5.00 / +4.00 | −1.23 / +0.20 | global | `eval-1` (60000 / 10000) |');
    expect(rows[1]).toMatch(/^\| `short-aaa` .* \| 70\.00 \| 69\.00 \|/);
    expect(rows[2]).toMatch(/^\| `unevaluated-ccc` \| infonce \| resnet-mini \| 3 \| 100 steps × 128 .* \| – \| – \| .* not evaluated \(no status\) \|$/);
    expect(md).toContain('# Experiment `sweep`');
    expect(md).toContain('3 run(s), 2 evaluated');
    expect(md.split('\n').find((l) => l.startsWith('| ---'))!.split('|')).toHaveLength(15);
  });
});
