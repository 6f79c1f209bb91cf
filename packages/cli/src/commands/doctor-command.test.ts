import { runCli } from '../run-cli';

const run = (argv: string[]) => runCli(argv, process.cwd());

describe('contrastive doctor', () => {
  it('--json: the chosen backend, its threads, and every provider with a reason', async () => {
    const r = await run(['doctor', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(report.probes.map((p: { provider: string }) => p.provider)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
    const chosen = report.probes.filter((p: { status: string }) => p.status === 'chosen');
    expect(chosen).toHaveLength(1);
    expect(chosen[0]).toMatchObject({ provider: report.provider, backend: report.chosen });
    expect(report.threads).toBeGreaterThanOrEqual(1);
    expect(report.tensorflowVersion === null).toBe(report.chosen !== 'tensorflow');
    if (report.chosen === 'tensorflow') expect(report.tensorflowVersion).toMatch(/^\d+\.\d+\.\d+/);
    // Every provider was probed: none is left without a verdict.
    for (const p of report.probes) {
      expect(['chosen', 'usable', 'unavailable', 'not-installed']).toContain(p.status);
      expect(p.reason.length).toBeGreaterThan(0);
    }
    // The pure-JS backend always works.
    expect(report.probes[3].status).toMatch(/chosen|usable/);
  });

  it('prints one line per provider after the chosen backend', async () => {
    const r = await run(['doctor', '--backend', 'cpu']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('backend: cpu (cpu, 1 thread of ' + require('os').cpus().length + ' cores)');
    expect(lines.slice(1, 5).map((l) => l.trim().split(/\s+/)[0])).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
    expect(lines[4]).toMatch(/cpu\s+chosen/);
    expect(lines[3]).toMatch(/wasm\s+usable .*not used: backend "cpu" was asked for/);
  });

  it('an unknown backend exits 2 naming the choices', async () => {
    const r = await run(['doctor', '--backend', 'gpu']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/backend "gpu" is not one of auto, tensorflow, wasm, cpu/);
  });
});
