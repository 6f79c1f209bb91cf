import { UserInputError } from '../registry/errors';

/** One problem found in a config. */
export interface ConfigIssue {
  /** JSON path of the offending value, e.g. `data.batchSize` or `augment[1].p`; `""` = the whole config. */
  path: string;
  /** What is wrong, in plain words, e.g. `must be >= 1 (got 0)`. */
  message: string;
  /** 1-based line in the config file, when known. */
  line?: number;
  /** 1-based column, for parse errors. */
  column?: number;
  /** The config file, when the config came from one. */
  file?: string;
  /** The `--set` argument that supplied the value, when it came from the command line. */
  setArgument?: string;
}

/**
 * Formats one issue as `file:line: path: message`, e.g.
 * `configs/x.yaml:7: data.batchSize: must be >= 1 (got 0)`.
 */
export function formatIssue(issue: ConfigIssue): string {
  let where = issue.file ?? '';
  if (issue.file && issue.line !== undefined) {
    where += `:${issue.line}${issue.column !== undefined ? `:${issue.column}` : ''}`;
  } else if (issue.line !== undefined) {
    where = `line ${issue.line}`;
  }
  const path = issue.path
    ? issue.setArgument !== undefined ? `${issue.path} (from --set ${issue.setArgument})` : issue.path
    : '';
  return [where, path, issue.message].filter((part) => part !== '').join(': ');
}

/** An invalid config (or config file). Carries every issue found; a UserInputError (exit code 2). */
export class ConfigError extends UserInputError {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
  }
}
