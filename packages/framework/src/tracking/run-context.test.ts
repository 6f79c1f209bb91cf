import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runContextTags } from './run-context';

describe('runContextTags', () => {
  it('records the git commit and branch of a checkout, as git reports them', () => {
    const repo = path.resolve(__dirname, '../../../..');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
    const tags = runContextTags(repo, 'configs/quickstart.yaml', { USER: 'ann' });
    expect(tags['mlflow.source.git.commit']).toBe(git('rev-parse', 'HEAD'));
    const branch = git('rev-parse', '--abbrev-ref', 'HEAD');
    expect(tags['mlflow.source.git.branch']).toBe(branch === 'HEAD' ? undefined : branch);
    expect(tags).toMatchObject({ 'mlflow.user': 'ann', 'mlflow.source.name': 'configs/quickstart.yaml', 'mlflow.source.type': 'LOCAL' });
  });

  it('leaves the git tags out outside a checkout', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-git-'));
    const tags = runContextTags(dir, 'x.yaml', { USER: 'bo' });
    expect(Object.keys(tags).filter((k) => k.includes('git'))).toEqual([]);
    expect(tags['mlflow.user']).toBe('bo');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
