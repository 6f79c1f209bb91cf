import { fakeRegistry } from '../../test/fixtures/configs/fake-registry';
import { UserInputError } from '../registry/errors';
import { ConfigError, type ConfigIssue } from './config-error';
import { validateConfig } from './validate-config';

const registry = fakeRegistry();

function issuesOf(raw: unknown, reg = registry): ConfigIssue[] {
  try {
    validateConfig(raw, reg);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toBeInstanceOf(UserInputError);
    return (err as ConfigError).issues;
  }
  throw new Error('expected the config to be refused');
}

const minimal = { data: { use: 'synthetic' } };

describe('validateConfig', () => {
  it('fills every default', () => {
    const config = validateConfig(minimal, registry);
    expect(config).toEqual({
      name: 'run', seed: 0, backend: 'auto', plugins: [],
      data: { use: 'synthetic', batchSize: 32, size: 256 },
      method: { use: 'infonce', temperature: 0.1 },
      train: {
        epochs: 1, optimizer: { use: 'adam', lr: 0.001 }, schedule: { use: 'constant' },
        logEvery: 10, checkpointEvery: 0, outputDir: 'runs',
      },
      tracking: { flushSeconds: 2, waitAtEndSeconds: 30 }, eval: {},
    });
  });

  it.each([
    [{ uri: 'sqlite:///mlflow.db' }, 'tracking.uri', /only http\(s\):\/\/ servers and local file stores/],
    [{ uri: 'http://' }, 'tracking.uri', /not a valid URL/],
    [{ uri: '' }, 'tracking.uri', /must have at least 1 character/],
    [{ flushSeconds: 0 }, 'tracking.flushSeconds', /must be > 0/],
    [{ waitAtEndSeconds: -1 }, 'tracking.waitAtEndSeconds', /must be >= 0/],
  ])('refuses tracking %j, naming %s', (tracking, where, message) => {
    const issues = issuesOf({ ...minimal, tracking });
    expect(issues.map((i) => i.path)).toEqual([where]);
    expect(issues[0].message).toMatch(message);
  });

  it.each(['none', 'NONE', './mlruns', 'file:///tmp/mlruns', 'http://127.0.0.1:5000', 'https://mlflow.example.org/prefix'])('accepts tracking.uri %s', (uri) => {
    expect(validateConfig({ ...minimal, tracking: { uri } }, registry).tracking.uri).toBe(uri);
  });

  it('does not modify its input and keeps steps without adding epochs', () => {
    const raw = { data: { use: 'synthetic' }, train: { steps: 500 } };
    const config = validateConfig(raw, registry);
    expect(raw).toEqual({ data: { use: 'synthetic' }, train: { steps: 500 } });
    expect(config.train.steps).toBe(500);
    expect(config.train.epochs).toBeUndefined();
  });

  it('fills defaults of slot overrides and augment items', () => {
    const config = validateConfig({ ...minimal, score: { use: 'cosine' }, augment: [{ use: 'flip' }] }, registry);
    expect(config.score).toEqual({ use: 'cosine', temperature: 0.1 });
    expect(config.augment).toEqual([{ use: 'flip', p: 0.5 }]);
  });

  it('says the default method is unknown when infonce is not registered', () => {
    const issues = issuesOf(minimal, fakeRegistry({ withInfonce: false }));
    expect(issues).toEqual([expect.objectContaining({ path: 'method.use', message: expect.stringContaining('unknown method "infonce" (the default)') })]);
  });

  it.each([
    [{ ...minimal, seed: 'abc' }, 'seed', 'must be an integer (got "abc")'],
    [{ ...minimal, seed: 1.5 }, 'seed', 'must be an integer (got 1.5)'],
    [{ ...minimal, seed: -1 }, 'seed', 'must be >= 0 (got -1)'],
    [{ ...minimal, name: 3 }, 'name', 'must be a string (got 3)'],
    [{ data: { use: 'synthetic', batchSize: 0 } }, 'data.batchSize', 'must be >= 1 (got 0)'],
    [{ data: { use: 'synthetic', batchSize: -1 } }, 'data.batchSize', 'must be >= 1 (got -1)'],
    [{ data: { use: 'synthetic', batchSize: '64' } }, 'data.batchSize', 'must be an integer (got "64")'],
    [{ ...minimal, score: { use: 'cosine', temperature: 0 } }, 'score.temperature', 'must be > 0 (got 0)'],
    [{ ...minimal, backend: 'gpu' }, 'backend', 'must be one of: auto, tensorflow, wasm, cpu (got "gpu")'],
    [{ ...minimal, augment: [{ use: 'flip' }, { use: 'flip', p: 'x' }] }, 'augment[1].p', 'must be a number (got "x")'],
    [{ ...minimal, train: { optimizer: { use: 'sgd' } } }, 'train.optimizer', 'missing required key "lr"'],
    [{ ...minimal, data: 'synthetic' }, 'data', 'must be a mapping (object) (got "synthetic")'],
    [{ ...minimal, plugins: 'x' }, 'plugins', 'must be a list (array) (got "x")'],
    [{ seed: 1 }, '', 'missing required key "data"'],
  ])('refuses %j at %s', (raw, path, message) => {
    expect(issuesOf(raw)).toEqual([expect.objectContaining({ path, message })]);
  });

  it('names unknown keys at top level and nested, with the allowed keys', () => {
    const issues = issuesOf({ ...minimal, colour: 'blue', train: { epochs: 1, epoch: 2 }, score: { use: 'cosine', temp: 1 } });
    expect(issues.map((i) => [i.path, i.message])).toEqual(expect.arrayContaining([
      ['colour', expect.stringMatching(/^unknown key "colour" \(allowed: name, seed, backend, plugins, data, method, .*\)$/)],
      ['train.epoch', expect.stringMatching(/^unknown key "epoch" \(allowed: epochs, steps, /)],
      ['score.temp', 'unknown key "temp" (allowed: use, temperature)'],
    ]));
    expect(issues).toHaveLength(3);
  });

  it('names an unknown component with the known ones and a hint about plugins', () => {
    const issues = issuesOf({ ...minimal, encoder: { use: 'resnet9', depth: 9 } });
    expect(issues).toHaveLength(1); // no oneOf noise about the branches or `depth`
    expect(issues[0].path).toBe('encoder.use');
    expect(issues[0].message).toBe(
      'unknown encoder "resnet9"; known encoder components: convnet, mlp, resnet-mini' +
        ' (a plugin that provides it may be missing from `plugins`)',
    );
  });

  it('reports a missing or non-string use plainly', () => {
    expect(issuesOf({ data: { batchSize: 3 } })).toEqual([
      expect.objectContaining({ path: 'data', message: 'missing required key "use" (which data to use: fashion-mnist, synthetic)' }),
    ]);
    expect(issuesOf({ data: { use: 3 } })).toEqual([
      expect.objectContaining({ path: 'data.use', message: 'must be a string (got 3)' }),
    ]);
  });

  it('refuses both epochs and steps', () => {
    expect(issuesOf({ ...minimal, train: { epochs: 2, steps: 10 } })).toEqual([
      expect.objectContaining({ path: 'train.steps', message: 'set either train.epochs or train.steps, not both' }),
    ]);
  });

  it('refuses a config that is not a mapping', () => {
    expect(issuesOf(null)[0].message).toBe('the config must be a mapping of keys to values (got null)');
    expect(issuesOf([1])[0].message).toMatch(/must be a mapping/);
  });

  it('puts file, line and --set argument into the message', () => {
    const source = {
      file: 'configs/x.yaml',
      lines: new Map([['data', 6], ['data.batchSize', 7]]),
      overrides: new Map([['seed', 'seed=abc']]),
    };
    expect(() => validateConfig({ data: { use: 'synthetic', batchSize: 0 }, seed: 'abc' }, registry, source)).toThrow(
      'configs/x.yaml:7: data.batchSize: must be >= 1 (got 0)\n' +
        'configs/x.yaml: seed (from --set seed=abc): must be an integer (got "abc")',
    );
    const issues = issuesOf({ data: { use: 'synthetic', batchSize: 0, extra: 1 } });
    expect(issues.map((i) => i.path).sort()).toEqual(['data.batchSize', 'data.extra']);
  });
});
