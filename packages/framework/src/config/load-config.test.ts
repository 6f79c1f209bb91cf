import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { fakeRegistry } from '../../test/fixtures/configs/fake-registry';
import { ConfigError } from './config-error';
import { loadConfigFile } from './load-config';
import { validateConfig } from './validate-config';

const fixtures = relative(process.cwd(), join(__dirname, '../../test/fixtures/configs'));
const fixture = (name: string) => join(fixtures, name);
const registry = fakeRegistry();

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'config-')), name);
  writeFileSync(file, text);
  return file;
}

describe('loadConfigFile', () => {
  it('reads YAML and JSON of the same config to the same resolved config', () => {
    const yaml = loadConfigFile(fixture('quickstart.yaml'));
    const json = loadConfigFile(fixture('quickstart.json'));
    expect(yaml.raw).toEqual(json.raw);
    const fromYaml = validateConfig(yaml.raw, registry, yaml.sourceMap);
    expect(fromYaml).toEqual(validateConfig(json.raw, registry, json.sourceMap));
    expect(fromYaml.augment).toEqual([{ use: 'random-resized-crop', scale: [0.2, 1] }, { use: 'flip', p: 0.3 }]);
    expect(yaml.baseDir).toBe(join(process.cwd(), fixtures));
  });

  it('maps JSON paths to lines', () => {
    const { sourceMap: source } = loadConfigFile(fixture('quickstart.yaml'));
    expect(source.lines.get('data.batchSize')).toBe(5);
    expect(source.lines.get('method.temperature')).toBe(8);
    expect(source.lines.get('augment[1]')).toBe(12);
    expect(source.lines.get('augment[1].p')).toBe(12);
    expect(source.lines.get('train.optimizer.lr')).toBe(15);
    expect(loadConfigFile(fixture('quickstart.json')).sourceMap.lines.get('train.optimizer.lr')).toBe(11);
  });

  it('gives file:line for every validation error', () => {
    const { raw, sourceMap: source } = loadConfigFile(fixture('bad-values.yaml'));
    const err = errorOf(() => validateConfig(raw, registry, source));
    const file = fixture('bad-values.yaml');
    expect(err.issues.map((i) => `${i.line}: ${i.path}`)).toEqual([
      '5: data.batchSize', '7: encoder.use', '11: augment[1].p', '12: augment[1].prob',
      '15: train.steps', '16: train.logEvery', '17: colour',
    ]);
    expect(err.message.split('\n')).toEqual([
      `${file}:5: data.batchSize: must be >= 1 (got 0)`,
      `${file}:7: encoder.use: unknown encoder "resnet9"; known encoder components: convnet, mlp, resnet-mini (a plugin that provides it may be missing from \`plugins\`)`,
      `${file}:11: augment[1].p: must be <= 1 (got 2)`,
      `${file}:12: augment[1].prob: unknown key "prob" (allowed: use, p)`,
      `${file}:15: train.steps: set either train.epochs or train.steps, not both`,
      `${file}:16: train.logEvery: must be an integer (got "ten")`,
      expect.stringMatching(new RegExp(`^${file.replace(/[.]/g, '\\.')}:17: colour: unknown key "colour" \\(allowed: name, seed, `)),
    ]);
  });

  it('names file, line and column of malformed YAML', () => {
    const err = errorOf(() => loadConfigFile(fixture('malformed.yaml')));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ file: fixture('malformed.yaml'), line: 5 });
    expect(err.message).toMatch(new RegExp(`^${fixture('malformed.yaml').replace(/\./g, '\\.')}:5:\\d+: .+`));
  });

  it('names file, line and column of malformed JSON', () => {
    const err = errorOf(() => loadConfigFile(fixture('malformed.json')));
    expect(err.issues[0]).toMatchObject({ line: 3, column: 34 });
    expect(err.message).toMatch(/malformed\.json:3:34: invalid JSON: /);
  });

  it('refuses duplicate keys in YAML and JSON', () => {
    const yaml = errorOf(() => loadConfigFile(fixture('duplicate-key.yaml')));
    expect(yaml.issues[0]).toMatchObject({ line: 4 });
    expect(yaml.message).toMatch(/duplicate-key\.yaml:4:1: duplicate key "seed" \(keys must be unique\)$/);
    expect(errorOf(() => loadConfigFile(fixture('duplicate-key.json'))).issues[0]).toMatchObject({ line: 4 });
  });

  it('says when the file is missing or has the wrong extension', () => {
    expect(errorOf(() => loadConfigFile('configs/nope.yaml')).message).toBe('config file not found: configs/nope.yaml');
    expect(errorOf(() => loadConfigFile(tempFile('x.toml', 'a = 1'))).message).toMatch(/must end in \.json, \.yaml or \.yml/);
  });

  it('reads tab-indented JSON with a byte-order mark', () => {
    const file = tempFile('tabs.json', '\uFEFF{\n\t"data": {\n\t\t"use": "synthetic",\n\t\t"batchSize": 0\n\t}\n}\n');
    const { raw, sourceMap } = loadConfigFile(file);
    expect(raw).toEqual({ data: { use: 'synthetic', batchSize: 0 } });
    expect(errorOf(() => validateConfig(raw, registry, sourceMap)).message).toBe(`${file}:4: data.batchSize: must be >= 1 (got 0)`);
  });

  it('treats an empty file as an invalid (null) config', () => {
    const { raw, sourceMap: source } = loadConfigFile(tempFile('empty.yml', '# nothing\n'));
    expect(raw).toBeNull();
    expect(errorOf(() => validateConfig(raw, registry, source)).message).toMatch(/empty\.yml: the config must be a mapping/);
  });
});
