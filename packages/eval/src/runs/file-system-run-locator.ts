import * as fs from 'fs';
import * as path from 'path';
import { latestCheckpoint, UserInputError } from '@contrastive/framework';
import type { LocatedRun, RunCatalog, RunLocator } from './run-locator';

const RESOLVED_CONFIG = 'config.resolved.json';

/**
 * Finds runs written by runTraining with the console tracker: folders
 * `<runsDir>/<name>-<id>/` holding `config.resolved.json`. A run id matches the folder of
 * that name or the one folder whose name ends with it (`quickstart-20261128T074549-9cf7ab`
 * is found by its full name, by `20261128T074549-9cf7ab` or by `9cf7ab`), and so does the
 * tracker's run id (MLflow's) that the run's checkpoints record, or its end; a path to a run
 * folder is accepted as well. The run id reported is the tracker's id.
 */
export class FileSystemRunLocator implements RunLocator, RunCatalog {
  /**
   * @param runsDir the folder runs are written to (`train.outputDir`, default `runs`), absolute
   * @param cwd the directory relative run-folder paths resolve against
   */
  constructor(readonly runsDir: string, private readonly cwd: string = process.cwd()) {}

  get description(): string {
    return `run folders under ${this.runsDir}`;
  }

  async locate(runId: string): Promise<LocatedRun> {
    const id = runId.trim();
    if (id === '') throw new UserInputError('--run: the run id is empty');
    const direct = path.resolve(this.cwd, id);
    if ((id.includes('/') || id.includes(path.sep)) && fs.existsSync(direct)) return readRunFolder(direct);
    if (!fs.existsSync(this.runsDir)) {
      throw new UserInputError(`--run ${id}: no run with this id: the runs folder ${this.runsDir} does not exist (train a run first, or pass --runs-dir)`);
    }
    const folders = this.runFolders();
    const exact = folders.filter((f) => path.basename(f) === id || trackerRunIdOf(f) === id);
    const matches = exact.length > 0 ? exact
      : folders.filter((f) => path.basename(f).endsWith(id) || (trackerRunIdOf(f) ?? '').endsWith(id));
    if (matches.length === 1) return readRunFolder(matches[0]);
    if (matches.length > 1) {
      throw new UserInputError(`--run ${id}: ${matches.length} runs under ${this.runsDir} end with this id; give more of it`,
        matches.map((m) => path.basename(m)));
    }
    const known = folders.map((f) => path.basename(f));
    throw new UserInputError(
      `--run ${id}: no run with this id under ${this.runsDir} (looked for a run folder named or ending with it)` +
        (known.length ? `; runs there: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', ...' : ''}` : '; there are no runs there'),
    );
  }

  async listRuns(): Promise<LocatedRun[]> {
    if (!fs.existsSync(this.runsDir)) return [];
    return this.runFolders().map(readRunFolder);
  }

  /** Sub-folders of runsDir that hold a resolved config, sorted by name. */
  private runFolders(): string[] {
    return fs.readdirSync(this.runsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(this.runsDir, d.name, RESOLVED_CONFIG)))
      .map((d) => path.join(this.runsDir, d.name))
      .sort();
  }
}

/** The tracker run id (e.g. MLflow's) the run's newest checkpoint recorded, if any. */
export function trackerRunIdOf(runDir: string): string | undefined {
  const checkpoint = latestCheckpoint(path.join(runDir, 'checkpoints'));
  if (!checkpoint) return undefined;
  try {
    return (readJson(path.join(checkpoint, 'state.json')) as { trackerRunId?: string }).trackerRunId;
  } catch {
    return undefined;
  }
}

/** Reads what a run folder holds; a folder without a resolved config is not a run. */
export function readRunFolder(runDir: string): LocatedRun {
  const configPath = path.join(runDir, RESOLVED_CONFIG);
  if (!fs.existsSync(configPath)) {
    throw new UserInputError(`${runDir} is not a run folder (it has no ${RESOLVED_CONFIG})`);
  }
  const config = readJson(configPath) as Record<string, unknown>;
  const tags = (fs.existsSync(path.join(runDir, 'tags.json')) ? readJson(path.join(runDir, 'tags.json')) : {}) as Record<string, string>;
  const statusFile = path.join(runDir, 'status.json');
  const status = fs.existsSync(statusFile) ? ((readJson(statusFile) as { status?: string }).status ?? null) : null;
  return {
    // The tracker's id (MLflow's run id) when a checkpoint recorded it, else the folder name.
    runId: trackerRunIdOf(runDir) ?? path.basename(runDir),
    runDir,
    config,
    checkpoint: latestCheckpoint(path.join(runDir, 'checkpoints')),
    tags,
    status,
  };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read JSON (${(err as Error).message})`);
  }
}
