import { ConfigError, UserInputError } from '@contrastive/framework';
import { resolveRunEvalOptions } from '../evaluate/run-eval-options';
import { EVAL_DEFAULTS, KNN_DEFAULTS } from './eval-options';
import { resolveEvalOptions } from './resolve-eval-options';

describe('resolveEvalOptions', () => {
  it('fills every default', () => {
    expect(resolveEvalOptions(undefined)).toEqual(EVAL_DEFAULTS);
    expect(resolveEvalOptions({ knn: { k: 5 } }).knn).toEqual({ ...KNN_DEFAULTS, k: 5 });
  });

  it('false skips an evaluation, true takes its defaults', () => {
    const o = resolveEvalOptions({ plot: false, knn: true, baselines: false, labelEfficiency: false });
    expect(o.plot).toBe(false);
    expect(o.knn).toEqual(KNN_DEFAULTS);
    expect(o.labelEfficiency).toBe(false);
    expect(o.baselines).toEqual({ untrained: false, rawPixels: false, cache: false });
    expect(resolveEvalOptions({ baselines: { rawPixels: false } }).baselines).toEqual({ untrained: true, rawPixels: false, cache: true });
  });

  it('names every bad value by its path', () => {
    let err: unknown;
    try {
      resolveEvalOptions({ knn: { k: 0 }, linearProbe: { lr: 'fast' }, plot: { method: 'tsne' }, colour: 1 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const text = (err as Error).message;
    expect(text).toContain('eval.knn.k: must be >= 1 (got 0)');
    expect(text).toContain('eval.linearProbe.lr: must be a number (got "fast")');
    expect(text).toContain('eval.plot.method: must be one of: umap');
    expect(text).toMatch(/eval\.colour: unknown key "colour"/);
  });

  it('points at the file and line when given a source map', () => {
    const sourceMap = { file: 'x.yaml', lines: new Map([['eval', 7], ['eval.knn', 8], ['eval.knn.k', 8]]) };
    expect(() => resolveEvalOptions({ knn: { k: -1 } }, { sourceMap })).toThrow('x.yaml:8: eval.knn.k: must be >= 1 (got -1)');
  });
});

describe('resolveRunEvalOptions', () => {
  it('applies eval.* --set overrides on top of the block and names the argument in errors', () => {
    expect(resolveRunEvalOptions({ knn: { k: 3 } }, ['eval.knn.temperature=0.5']).knn).toEqual({ k: 3, temperature: 0.5 });
    expect(() => resolveRunEvalOptions({}, ['eval.knn.k=zero'])).toThrow('eval.knn.k (from --set eval.knn.k=zero): must be an integer');
  });

  it('refuses to change the trained run\'s config', () => {
    expect(() => resolveRunEvalOptions({}, ['train.epochs=3'])).toThrow(UserInputError);
    expect(() => resolveRunEvalOptions({}, ['train.epochs=3'])).toThrow(/only eval\.\* options can be set/);
  });
});
