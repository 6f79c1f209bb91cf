import { fakeRegistry } from '../../test/fixtures/configs/fake-registry';
import { UserInputError } from '../registry/errors';
import { ConfigError } from './config-error';
import { applySetOverrides, parseSetPath } from './overrides';
import { validateConfig } from './validate-config';

const raw = { data: { use: 'synthetic' }, augment: [{ use: 'flip' }], train: { epochs: 1 } };

describe('applySetOverrides', () => {
  it('sets numbers, booleans, lists and mappings parsed as YAML, without touching the input', () => {
    const { config, overridden } = applySetOverrides(raw, [
      'train.epochs=3', 'data.batchSize=64', 'augment[0].p=0.2', 'plugins=["a","b"]',
      'train.optimizer={use: sgd, lr: 0.06}', 'eval.knn.k=20', 'name=my run', 'tracking.uri=http://x:5000',
    ]);
    expect(config).toEqual({
      data: { use: 'synthetic', batchSize: 64 },
      augment: [{ use: 'flip', p: 0.2 }],
      train: { epochs: 3, optimizer: { use: 'sgd', lr: 0.06 } },
      plugins: ['a', 'b'],
      eval: { knn: { k: 20 } },
      name: 'my run',
      tracking: { uri: 'http://x:5000' },
    });
    expect(raw).toEqual({ data: { use: 'synthetic' }, augment: [{ use: 'flip' }], train: { epochs: 1 } });
    expect(overridden).toEqual([
      'train.epochs', 'data.batchSize', 'augment[0].p', 'plugins', 'train.optimizer', 'eval.knn.k', 'name', 'tracking.uri',
    ]);
  });

  it('accepts index as a dotted number, appends at the end, and creates lists', () => {
    const { config, overridden } = applySetOverrides(raw, ['augment.0.p=1', 'augment[1].use=flip', 'x[0].y=1']);
    expect(config.augment).toEqual([{ use: 'flip', p: 1 }, { use: 'flip' }]);
    expect(config.x).toEqual([{ y: 1 }]);
    expect(overridden).toEqual(['augment[0].p', 'augment[1].use', 'x[0].y']);
  });

  it('records the --set argument of each path in the source map', () => {
    const lines = new Map([['train.epochs', 4]]);
    const { sourceMap: source } = applySetOverrides(raw, ['train.epochs=3'], { file: 'c.yaml', lines });
    expect(source.file).toBe('c.yaml');
    expect(source.lines).toBe(lines);
    expect(source.overrides).toEqual(new Map([['train.epochs', 'train.epochs=3']]));
  });

  it.each([
    ['train.epochs', /^--set "train\.epochs": expected path=value/],
    ['=3', /^--set "=3": the path before "=" is empty/],
    ['  =3', /the path before "=" is empty/],
    ['augment[x].p=1', /^--set "augment\[x\]\.p=1": bad path "augment\[x\]\.p" at "\[x\]\.p"/],
    ['augment[-1]=1', /bad path "augment\[-1\]" at "\[-1\]"/],
    ['augment[].p=1', /bad path/],
    ['augment[0=1', /bad path "augment\[0" at "\[0"/],
    ['train..epochs=1', /bad path "train\.\.epochs" at "\.\.epochs"/],
    ['train.=1', /bad path "train\." at "\."/],
    ['[0]=1', /bad path "\[0\]" at "\[0\]"/],
    ['.a=1', /bad path/],
    ['augment[5].p=1', /index 5 is past the end of augment \(1 items\)/],
    ['data[0]=1', /data is a mapping, not a list/],
    ['train.epochs.x=1', /cannot set train\.epochs\.x: train\.epochs is 1, not a mapping or list/],
    ['augment.p=1', /augment is a list; use augment\[index\]/],
    ['plugins=["a"', /^--set "plugins=\["a"": cannot parse value "\["a"": /],
    ['__proto__.polluted=1', /"__proto__" cannot be set/],
  ])('refuses %s naming the argument', (argument, message) => {
    let error: unknown;
    try {
      applySetOverrides(raw, [argument]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toMatch(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves type errors to validation, which names the path and the argument', () => {
    const { config, sourceMap: source } = applySetOverrides(raw, ['train.epochs=abc', 'data.batchSize=0']);
    let error: ConfigError | undefined;
    try {
      validateConfig(config, fakeRegistry(), { ...source, file: 'c.yaml' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.issues).toEqual([
      expect.objectContaining({ path: 'data.batchSize', setArgument: 'data.batchSize=0', message: 'must be >= 1 (got 0)' }),
      expect.objectContaining({ path: 'train.epochs', setArgument: 'train.epochs=abc', message: 'must be an integer (got "abc")' }),
    ]);
    expect(error!.message).toContain('c.yaml: train.epochs (from --set train.epochs=abc): must be an integer (got "abc")');
  });

  it('starts from an empty config when there is none', () => {
    expect(applySetOverrides(null, ['data.use=synthetic']).config).toEqual({ data: { use: 'synthetic' } });
    expect(() => applySetOverrides(3, ['a=1'])).toThrow(UserInputError);
  });
});

describe('parseSetPath', () => {
  it('parses keys and indices', () => {
    expect(parseSetPath('augment[10].scale[1]')).toEqual(['augment', 10, 'scale', 1]);
    expect(parseSetPath(' train.optimizer.lr ')).toEqual(['train', 'optimizer', 'lr']);
  });
});
