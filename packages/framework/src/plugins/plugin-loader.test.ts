import { join } from 'path';
import { composeConfigSchema } from '../config/compose-schema';
import { defineComponent, Registry, UserInputError } from '../registry';
import { FRAMEWORK_API_VERSION } from './manifest';
import { listLoadedPlugins, loadPlugins, PluginLoadError } from './plugin-loader';

const resolveFrom = [join(__dirname, '../../test/fixtures/plugins')];

function registryWithBuiltin(): Registry {
  const registry = new Registry();
  registry.register(defineComponent({
    kind: 'score', name: 'dot', description: 'dot', schema: { type: 'object', properties: {} },
    create: () => ({ score: (a) => a }),
  }));
  return registry;
}

function errorOf(fn: () => unknown): PluginLoadError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PluginLoadError);
    expect(err).toBeInstanceOf(UserInputError);
    return err as PluginLoadError;
  }
  throw new Error('expected a PluginLoadError');
}

const keys = (registry: Registry) => registry.list().map((d) => `${d.kind}:${d.name}:${d.source}`);

describe('loadPlugins', () => {
  it('registers a good plugin and reports what it registered', () => {
    const registry = registryWithBuiltin();
    const loaded = loadPlugins(['@fixture/plugin-good'], registry, { resolveFrom });
    expect(loaded).toEqual([{
      name: '@fixture/plugin-good', version: '1.2.3', frameworkApi: '^1.0.0',
      description: 'Test fixture: registers score "fixture-score".', components: ['score:fixture-score'],
    }]);
    expect(registry.get('score', 'fixture-score').source).toBe('@fixture/plugin-good');
    expect((composeConfigSchema(registry) as any).properties.score.oneOf.map((b: any) => b.title)).toEqual(['dot', 'fixture-score']);
    expect(listLoadedPlugins(registry)).toEqual(loaded);
  });

  it('treats loading the same plugin again as a no-op', () => {
    const registry = registryWithBuiltin();
    const first = loadPlugins(['@fixture/plugin-good'], registry, { resolveFrom });
    const before = keys(registry);
    expect(loadPlugins(['@fixture/plugin-good', '@fixture/plugin-good'], registry, { resolveFrom })).toEqual([first[0], first[0]]);
    expect(keys(registry)).toEqual(before);
  });

  it('refuses a plugin for another framework API, naming package, version and range', () => {
    const registry = registryWithBuiltin();
    const before = keys(registry);
    const err = errorOf(() => loadPlugins(['@fixture/plugin-incompatible'], registry, { resolveFrom }));
    expect(err.pluginName).toBe('@fixture/plugin-incompatible');
    expect(err.message).toBe(
      `plugin @fixture/plugin-incompatible@9.0.0 supports framework API ^99.0.0, but this framework is ${FRAMEWORK_API_VERSION}` +
        ' (install a version of the plugin made for it)',
    );
    expect(keys(registry)).toEqual(before);
  });

  it('says how to install a missing package', () => {
    const err = errorOf(() => loadPlugins(['@fixture/plugin-absent'], new Registry(), { resolveFrom }));
    expect(err.message).toBe('plugin package "@fixture/plugin-absent" is not installed (npm install @fixture/plugin-absent)');
  });

  it('refuses a package without a manifest', () => {
    const err = errorOf(() => loadPlugins(['@fixture/plugin-no-manifest'], new Registry(), { resolveFrom }));
    expect(err.message).toMatch(/^"@fixture\/plugin-no-manifest" does not export a plugin manifest \(.*missing or wrong: name, version, frameworkApi, register\)$/);
  });

  it('leaves the registry unchanged when register throws after registering something', () => {
    const registry = registryWithBuiltin();
    loadPlugins(['@fixture/plugin-good'], registry, { resolveFrom });
    const before = keys(registry);
    const err = errorOf(() => loadPlugins(['@fixture/plugin-throws'], registry, { resolveFrom }));
    expect(err.message).toBe('plugin @fixture/plugin-throws@0.0.1 failed to register: boom: missing native dependency');
    expect(keys(registry)).toEqual(before);
    expect(registry.has('loss', 'half-registered-loss')).toBe(false);
    expect(listLoadedPlugins(registry).map((p) => p.name)).toEqual(['@fixture/plugin-good']);
    // ...and trying again fails the same way rather than being mistaken for a loaded plugin.
    expect(() => loadPlugins(['@fixture/plugin-throws'], registry, { resolveFrom })).toThrow(/failed to register/);
  });

  it('refuses a plugin whose component clashes with one already registered, atomically', () => {
    const registry = registryWithBuiltin();
    registry.register(defineComponent({
      kind: 'score', name: 'fixture-score', description: 'taken', schema: { type: 'object', properties: {} },
      create: () => ({ score: (a) => a }),
    }), 'someone-else');
    const before = keys(registry);
    const err = errorOf(() => loadPlugins(['@fixture/plugin-good'], registry, { resolveFrom }));
    expect(err.message).toMatch(/^plugin @fixture\/plugin-good@1\.2\.3 failed to register: score "fixture-score" is already registered by someone-else/);
    expect(keys(registry)).toEqual(before);
  });

  it('resolves from the working directory by default', () => {
    const err = errorOf(() => loadPlugins(['@fixture/plugin-good'], new Registry()));
    expect(err.message).toMatch(/is not installed/);
  });
});
