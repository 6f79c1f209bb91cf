import { PassThrough } from 'stream';
import { main } from './main';

/** What {@link runCli} captured of one `contrastive` invocation. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed as JSON (what `--json` promises). */
  last: () => any;
}

/**
 * Runs the `contrastive` command in-process with captured streams and working directory
 * `cwd`, as a test of a plugin (or of the CLI) would: exit code, stdout, stderr.
 *
 * @example
 * const r = await runCli(['validate', 'configs/moco-fashion-mnist.yaml', '--json'], repoRoot);
 * expect(r.code).toBe(0);
 * expect(r.last().valid).toBe(true);
 */
export async function runCli(argv: string[], cwd: string): Promise<CliRun> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await main(argv, { stdout: out, stderr: err, cwd });
  return { code, stdout, stderr, last: () => JSON.parse(stdout.trim().split('\n').pop()!) };
}
