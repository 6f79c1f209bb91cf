import * as fs from 'fs';
import * as path from 'path';
import { UserInputError } from '@contrastive/framework';
import { experimentNames, experimentRuns, FileSystemRunLocator, formatExperimentReport, type RunCatalog } from '@contrastive/eval';
import { type CliIo, EXIT, println } from '../io';

export interface ReportArgs {
  experiment: string;
  runsDir: string;
  out?: string;
}

/**
 * `contrastive report --experiment <name>`: a Markdown table comparing every run of an
 * experiment (its `tracking.experiment`) with its newest evaluation, to stdout or `--out`.
 */
export async function reportCommand(args: ReportArgs, io: CliIo, catalog?: RunCatalog): Promise<number> {
  const runsDir = path.resolve(io.cwd, args.runsDir);
  const source = catalog ?? new FileSystemRunLocator(runsDir, io.cwd);
  const runs = await experimentRuns(source, args.experiment);
  if (runs.length === 0) {
    const known = await experimentNames(source);
    throw new UserInputError(`--experiment ${args.experiment}: no runs of this experiment under ${runsDir}` +
      (known.length ? ` (experiments there: ${known.join(', ')})` : ' (there are no runs there)'));
  }
  const markdown = formatExperimentReport(args.experiment, runs);
  if (args.out) {
    const file = path.resolve(io.cwd, args.out);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, markdown);
    println(io.stderr, `wrote ${file} (${runs.length} runs)`);
  } else {
    io.stdout.write(markdown);
  }
  return EXIT.ok;
}
