import { fakeRegistry } from '../../test/fixtures/configs/fake-registry';
import { ConfigError } from './config-error';
import { validateComponentOptions } from './component-options';
import { resolveMethodSlots } from './resolve-slots';
import { validateConfig } from './validate-config';

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

describe('resolveMethodSlots', () => {
  it('takes the method defaults, validated and with their own defaults filled', () => {
    const config = validateConfig({ data: { use: 'synthetic' } }, registry);
    expect(resolveMethodSlots(config, registry)).toEqual({
      encoder: { use: 'convnet', embeddingDim: 64 },
      positives: { use: 'two-views' },
      negatives: { use: 'in-batch' },
      score: { use: 'cosine', temperature: 0.2 },
      loss: { use: 'infonce' },
      augment: [{ use: 'flip', p: 0.5 }],
      head: { use: 'none' }, // neither the method nor the config sets one: the framework's default
    });
  });

  it('takes a head from the config, with its defaults filled, or else from the method', () => {
    const config = validateConfig({ data: { use: 'synthetic' }, head: { use: 'mlp' } }, registry);
    expect(resolveMethodSlots(config, registry).head).toEqual({ use: 'mlp', outputDim: 128 });
    const withDefault = new (registry.constructor as new () => typeof registry)();
    for (const d of registry.list()) {
      withDefault.register(d.kind === 'method' && d.name === 'infonce' ? { ...d, defaults: { ...d.defaults, head: { use: 'mlp', outputDim: 32 } } } : d);
    }
    const plain = validateConfig({ data: { use: 'synthetic' } }, withDefault);
    expect(resolveMethodSlots(plain, withDefault).head).toEqual({ use: 'mlp', outputDim: 32 });
  });

  it('lets each slot the config sets replace the default', () => {
    const config = validateConfig({
      data: { use: 'synthetic' }, encoder: { use: 'mlp' }, score: { use: 'cosine' }, augment: [],
    }, registry);
    const slots = resolveMethodSlots(config, registry);
    expect(slots.encoder).toEqual({ use: 'mlp', hidden: [128] });
    expect(slots.score).toEqual({ use: 'cosine', temperature: 0.1 });
    expect(slots.augment).toEqual([]);
    expect(slots.loss).toEqual({ use: 'infonce' });
  });

  it('names the method and every slot that neither the method nor the config provides', () => {
    const config = validateConfig({ data: { use: 'synthetic' }, method: { use: 'bare' }, encoder: { use: 'mlp' } }, registry);
    const err = errorOf(() => resolveMethodSlots(config, registry));
    expect(err.issues.map((i) => i.path)).toEqual(['positives', 'negatives', 'score', 'loss', 'augment']);
    expect(err.issues[0].message).toBe(
      'method "bare" has no default positives and the config sets none; add `positives:` to the config',
    );
  });
});

describe('validateComponentOptions', () => {
  it('fills defaults and keeps use', () => {
    const spec = { use: 'sgd', lr: 0.1 };
    expect(validateComponentOptions(registry, 'optimizer', spec, 'train.optimizer')).toEqual({ use: 'sgd', lr: 0.1, momentum: 0 });
    expect(spec).toEqual({ use: 'sgd', lr: 0.1 });
  });

  it('names the path of bad options, unknown components and missing use', () => {
    const bad = errorOf(() => validateComponentOptions(registry, 'augment', { use: 'flip', p: -1, q: 1 }, 'augment[2]'));
    expect(bad.issues.map((i) => [i.path, i.message])).toEqual([
      ['augment[2].q', 'unknown key "q" (allowed: use, p)'],
      ['augment[2].p', 'must be >= 0 (got -1)'],
    ]);
    const unknown = errorOf(() => validateComponentOptions(registry, 'encoder', { use: 'resnet9' }, ['encoder']));
    expect(unknown.message).toBe(
      'encoder.use: unknown encoder "resnet9"; known encoder components: convnet, mlp, resnet-mini' +
        ' (a plugin that provides it may be missing from `plugins`)',
    );
    expect(errorOf(() => validateComponentOptions(registry, 'score', {}, 'score')).message)
      .toBe('score: missing required key "use" (which score to use: cosine, dot)');
    expect(errorOf(() => validateComponentOptions(registry, 'score', 'cosine', 'score')).message)
      .toBe('score: must be a mapping with "use" naming a score component (got "cosine")');
  });

  it('marks problems in a method default as such', () => {
    const reg = fakeRegistry();
    const broken = { ...reg.get('method', 'infonce'), name: 'broken', defaults: { ...reg.get('method', 'infonce').defaults, encoder: { use: 'convnet', embeddingDim: 0 } } };
    reg.register(broken);
    const config = validateConfig({ data: { use: 'synthetic' }, method: { use: 'broken' } }, reg);
    expect(errorOf(() => resolveMethodSlots(config, reg)).message)
      .toBe('encoder.embeddingDim: must be >= 1 (got 0) (in the default of method "broken")');
  });
});
