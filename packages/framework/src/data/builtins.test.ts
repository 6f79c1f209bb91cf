import Ajv from 'ajv';
import { Registry } from '../registry/registry';
import { builtinDataSources } from './builtins';

describe('builtinDataSources', () => {
  it('registers the image and sequence data sources under kind data', () => {
    const registry = new Registry();
    builtinDataSources.forEach((d) => registry.register(d));
    expect(registry.names('data')).toEqual([
      'fashion-mnist', 'image-folder', 'image-rows', 'mnist', 'sequence-files', 'synthetic', 'synthetic-sequence', 'ts-files',
    ]);
    const sequences = builtinDataSources.filter((d) => d.modalities?.includes('sequence')).map((d) => d.name).sort();
    expect(sequences).toEqual(['image-rows', 'sequence-files', 'synthetic-sequence', 'ts-files']);
  });

  it.each(builtinDataSources.map((d) => [d.name, d] as const))('%s: strict schema, batchSize default 256, no unknown options', (name, def) => {
    const validate = new Ajv({ strict: true, useDefaults: true }).compile(def.schema);
    const required: Record<string, Record<string, unknown>> = {
      'image-folder': { path: 'images' },
      'sequence-files': { train: { values: 'train.npy' }, test: { values: 'test.csv' } },
      'ts-files': { train: 'X_TRAIN.ts', test: 'X_TEST.ts' },
    };
    const options: Record<string, unknown> = { ...(required[name] ?? {}) };
    expect(validate(options)).toBe(true);
    expect(options.batchSize).toBe(256);
    expect(validate({ ...options, batchSize: 0 })).toBe(false);
    expect(validate({ ...options, bogus: 1 })).toBe(false);
  });

  it('image-folder requires a path; synthetic and packaged sets have the documented defaults', () => {
    const byName = Object.fromEntries(builtinDataSources.map((d) => [d.name, d]));
    expect(new Ajv().compile(byName['image-folder'].schema)({})).toBe(false);
    const synthetic: Record<string, unknown> = {};
    new Ajv({ useDefaults: true }).compile(byName.synthetic.schema)(synthetic);
    expect(synthetic).toEqual({ batchSize: 256, seed: 0, numClasses: 10, height: 28, width: 28, channels: 1, trainCount: 2000, testCount: 500, noise: 0.1 });
    const folder: Record<string, unknown> = { path: 'x' };
    new Ajv({ useDefaults: true }).compile(byName['image-folder'].schema)(folder);
    expect(folder).toEqual({ path: 'x', batchSize: 256, height: 28, width: 28, channels: 1, testFraction: 0.2, resize: 'bilinear' });
    expect(new Ajv().compile(byName.mnist.schema)({ limit: 0 })).toBe(false);
  });
});
