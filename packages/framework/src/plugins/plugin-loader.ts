import * as semver from 'semver';
import { UserInputError } from '../registry/errors';
import type { Registry } from '../registry/registry';
import { FRAMEWORK_API_VERSION, type PluginManifest } from './manifest';

/** What loading a plugin registered. */
export interface LoadedPlugin {
  name: string;
  version: string;
  /** The framework API range the plugin declares. */
  frameworkApi: string;
  description?: string;
  /** Registered components as `kind:name`, e.g. `method:moco`. */
  components: string[];
}

/** Options of loadPlugins(). */
export interface LoadPluginsOptions {
  /** Directories to resolve package names from (node resolution); default the working directory. */
  resolveFrom?: string[];
}

/** A plugin that cannot be loaded: not installed, no manifest, incompatible, or failing to register. */
export class PluginLoadError extends UserInputError {
  constructor(readonly pluginName: string, message: string) {
    super(message);
    this.name = 'PluginLoadError';
  }
}

const loadedByRegistry = new WeakMap<Registry, Map<string, LoadedPlugin>>();

/** The plugins loaded into a registry so far, in load order. */
export function listLoadedPlugins(registry: Registry): LoadedPlugin[] {
  return [...(loadedByRegistry.get(registry)?.values() ?? [])];
}

/** Checks the shape of a manifest; returns why it is not one, or null. */
export function manifestProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return 'its export is not an object';
  const m = value as Record<string, unknown>;
  const missing: string[] = ['name', 'version', 'frameworkApi'].filter((k) => typeof m[k] !== 'string' || m[k] === '');
  if (typeof m.register !== 'function') missing.push('register');
  return missing.length > 0 ? `missing or wrong: ${missing.join(', ')}` : null;
}

function importPlugin(name: string, paths: string[]): unknown {
  let file: string;
  try {
    file = require.resolve(name, { paths });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'MODULE_NOT_FOUND' ? '' : ` (${(err as Error).message.split('\n')[0]})`;
    throw new PluginLoadError(name, `plugin package "${name}" is not installed (npm install ${name})${why}`);
  }
  try {
    return require(file);
  } catch (err) {
    throw new PluginLoadError(name, `plugin package "${name}" failed to load: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** The manifest a module exports: its `default` export, else module.exports itself. */
function manifestOf(name: string, mod: unknown): PluginManifest {
  const candidate = mod !== null && typeof mod === 'object' && 'default' in mod ? (mod as { default: unknown }).default : mod;
  const problem = manifestProblem(candidate);
  if (problem) {
    throw new PluginLoadError(
      name,
      `"${name}" does not export a plugin manifest (default export with name, version, frameworkApi and register(); ${problem})`,
    );
  }
  return candidate as PluginManifest;
}

function loadOne(name: string, registry: Registry, paths: string[]): LoadedPlugin {
  const manifest = manifestOf(name, importPlugin(name, paths));
  const label = `plugin ${name}@${manifest.version}`;
  if (manifest.name !== name) {
    throw new PluginLoadError(name, `${label} names itself "${manifest.name}" in its manifest; the names must match`);
  }
  if (!semver.validRange(manifest.frameworkApi)) {
    throw new PluginLoadError(name, `${label} declares an invalid frameworkApi range "${manifest.frameworkApi}"`);
  }
  if (!semver.satisfies(FRAMEWORK_API_VERSION, manifest.frameworkApi)) {
    throw new PluginLoadError(
      name,
      `${label} supports framework API ${manifest.frameworkApi}, but this framework is ${FRAMEWORK_API_VERSION}` +
        ' (install a version of the plugin made for it)',
    );
  }
  let registered;
  try {
    registered = registry.transaction(name, (api) => manifest.register(api));
  } catch (err) {
    throw new PluginLoadError(name, `${label} failed to register: ${(err as Error)?.message ?? String(err)}`);
  }
  return {
    name,
    version: manifest.version,
    frameworkApi: manifest.frameworkApi,
    ...(manifest.description ? { description: manifest.description } : {}),
    components: registered.map((d) => `${d.kind}:${d.name}`),
  };
}

/**
 * Loads plugin packages by name into a registry: resolves each package from `resolveFrom`,
 * takes its default export as a PluginManifest, refuses it unless its `frameworkApi` range
 * includes FRAMEWORK_API_VERSION, and runs its `register` in a registry transaction, so a
 * plugin that fails registers nothing. Loading a plugin already loaded is a no-op.
 *
 * @returns one entry per requested name (in order), with what the plugin registered
 * @throws PluginLoadError (a UserInputError) naming the package and what is wrong
 */
export function loadPlugins(names: readonly string[], registry: Registry, options: LoadPluginsOptions = {}): LoadedPlugin[] {
  const paths = options.resolveFrom ?? [process.cwd()];
  let loaded = loadedByRegistry.get(registry);
  if (!loaded) loadedByRegistry.set(registry, (loaded = new Map()));
  return names.map((name) => {
    const known = loaded!.get(name);
    if (known) return known;
    const plugin = loadOne(name, registry, paths);
    loaded!.set(name, plugin);
    return plugin;
  });
}
