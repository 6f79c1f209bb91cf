import { execFileSync } from 'child_process';
import * as os from 'os';
import { MLFLOW_TAGS } from '@contrastive/mlflow-client';

/**
 * MLflow's standard tags for where a run comes from: the user, the source, and the git
 * commit, branch and remote when `dir` is inside a git checkout (left out otherwise).
 */
export function runContextTags(dir: string, sourceName: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const tags: Record<string, string> = {
    [MLFLOW_TAGS.user]: env.USER || env.LOGNAME || safeUser(),
    [MLFLOW_TAGS.sourceName]: sourceName,
    [MLFLOW_TAGS.sourceType]: 'LOCAL',
  };
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: dir, encoding: 'utf8', timeout: 3000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const commit = git('rev-parse', 'HEAD');
  if (/^[0-9a-f]{40}$/.test(commit)) {
    tags[MLFLOW_TAGS.gitCommit] = commit;
    const branch = git('rev-parse', '--abbrev-ref', 'HEAD');
    if (branch && branch !== 'HEAD') tags[MLFLOW_TAGS.gitBranch] = branch;
    const remote = git('config', '--get', 'remote.origin.url');
    if (remote) tags[MLFLOW_TAGS.gitRepoUrl] = remote;
    if (git('status', '--porcelain', '--untracked-files=no') !== '') tags['contrastive.git.dirty'] = 'true';
  }
  return tags;
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
