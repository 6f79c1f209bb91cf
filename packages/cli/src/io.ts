/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
}

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });

/** Exit codes of the `contrastive` command (DESIGN.md): ok, failure, bad input. */
export const EXIT = { ok: 0, failure: 1, invalid: 2 } as const;

export function println(stream: NodeJS.WritableStream, line: string): void {
  stream.write(`${line}\n`);
}
