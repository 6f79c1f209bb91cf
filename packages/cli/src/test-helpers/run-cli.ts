import { PassThrough } from 'stream';
import { main } from '../main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed as JSON (what `--json` promises). */
  last: () => any;
}

/** Runs the `contrastive` command in-process with captured streams and `cwd`. */
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
