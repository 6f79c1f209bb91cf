import { fakeRegistry } from '../../test/fixtures/configs/fake-registry';
import { flattenConfig } from './flatten';
import { validateConfig } from './validate-config';

describe('flattenConfig', () => {
  it('flattens nested values to dotted paths with string values', () => {
    const config = validateConfig({
      data: { use: 'synthetic' },
      augment: [{ use: 'flip', p: 0.3 }],
      train: { optimizer: { use: 'sgd', lr: 0.06, momentum: 0.9 } },
    }, fakeRegistry());
    const flat = flattenConfig(config);
    expect(flat).toMatchObject({
      name: 'run', seed: '0', backend: 'auto', plugins: '[]',
      'data.use': 'synthetic', 'data.batchSize': '32',
      'augment.0.use': 'flip', 'augment.0.p': '0.3',
      'train.optimizer.lr': '0.06', 'train.optimizer.momentum': '0.9', 'train.epochs': '1',
      'tracking.flushSeconds': '2', 'tracking.waitAtEndSeconds': '30', eval: '{}',
    });
    expect(Object.values(flat).every((v) => typeof v === 'string')).toBe(true);
  });

  it('renders booleans, null and lists of numbers; skips undefined', () => {
    expect(flattenConfig({ a: true, b: null, c: [1, 2], d: undefined, e: { f: 'x' } }))
      .toEqual({ a: 'true', b: 'null', 'c.0': '1', 'c.1': '2', 'e.f': 'x' });
  });
});
