import * as path from 'path';
import type { MethodSlots } from '../registry/component-definition';
import { Registry } from '../registry/registry';
import { createRegistry } from '../builtins';
import {
  applySetOverrides, checkModality, loadConfigFile, resolveMethodSlots, validateComponentOptions, validateConfig,
  type ResolvedConfig, type SourceMap,
} from '../config';
import { loadPlugins, type LoadedPlugin } from '../plugins';
import { UserInputError } from '../registry/errors';

/** Where a config comes from: a file, or an object (tests, programmatic use). */
export interface ConfigInput {
  configPath?: string;
  raw?: unknown;
  /** `--set path=value` overrides, applied before validation. */
  sets?: string[];
  /** Directory relative paths resolve against (default: the config file's folder, else cwd). */
  baseDir?: string;
  /** A registry to add plugins to (default: a fresh one with the built-ins). */
  registry?: Registry;
}

/** A config that passed every check, with its method slots resolved; nothing built yet. */
export interface PreparedRun {
  config: ResolvedConfig;
  slots: MethodSlots;
  registry: Registry;
  plugins: LoadedPlugin[];
  baseDir: string;
  configPath?: string;
  /** Lines of the config file and `--set` arguments by JSON path, for errors found later (e.g. in `eval`). */
  sourceMap?: SourceMap;
}

/**
 * Reads, overrides and validates a config, loads its plugins, resolves the method's slots
 * and validates every component's options, all before any tensor exists. Bad input throws
 * a UserInputError (exit code 2) that names the file, JSON path and line.
 */
export function prepareRun(input: ConfigInput): PreparedRun {
  const registry = input.registry ?? createRegistry();
  let raw: unknown;
  let sourceMap: Parameters<typeof validateConfig>[2];
  if (input.configPath) {
    const loaded = loadConfigFile(input.configPath);
    raw = loaded.raw;
    sourceMap = loaded.sourceMap;
  } else {
    raw = structuredClone(input.raw ?? {});
  }
  if (input.sets && input.sets.length > 0) {
    const applied = applySetOverrides(raw, input.sets, sourceMap);
    raw = applied.config;
    sourceMap = applied.sourceMap;
  }
  const baseDir = input.baseDir ?? (input.configPath ? path.dirname(path.resolve(input.configPath)) : process.cwd());

  const pluginNames = (raw as { plugins?: unknown })?.plugins;
  const plugins: LoadedPlugin[] = [];
  if (Array.isArray(pluginNames) && pluginNames.every((p) => typeof p === 'string')) {
    pluginNames.forEach((name, i) => {
      try {
        plugins.push(...loadPlugins([name], registry, { resolveFrom: [baseDir, process.cwd(), __dirname] }));
      } catch (err) {
        if (!(err instanceof UserInputError)) throw err;
        // Point at the config line that asked for the plugin.
        const where = `plugins[${i}]`;
        const line = sourceMap?.lines.get(where);
        const file = sourceMap?.file ?? input.configPath;
        throw new UserInputError(`${file ? `${file}${line ? `:${line}` : ''}: ` : ''}${where}: ${err.message}`);
      }
    });
  }

  const config = validateConfig(raw, registry, sourceMap);
  const slots = resolveMethodSlots(config, registry);
  // Images vs sequences: a mismatch is a config error, found before anything is built.
  checkModality(config, slots, registry, sourceMap, { encoder: (config as { encoder?: unknown }).encoder !== undefined });
  const checked: MethodSlots = {
    encoder: validateComponentOptions(registry, 'encoder', slots.encoder, 'encoder'),
    positives: validateComponentOptions(registry, 'positives', slots.positives, 'positives'),
    negatives: validateComponentOptions(registry, 'negatives', slots.negatives, 'negatives'),
    score: validateComponentOptions(registry, 'score', slots.score, 'score'),
    loss: validateComponentOptions(registry, 'loss', slots.loss, 'loss'),
    augment: slots.augment.map((a, i) => validateComponentOptions(registry, 'augment', a, `augment[${i}]`)),
    head: slots.head && validateComponentOptions(registry, 'head', slots.head, 'head'),
  };
  // API 1.4: what a schema cannot say (a method's views, per-view encoders; the views of the
  // view-pair positives) is checked here too, for the method and each slot's component.
  const check = (kind: 'method' | 'positives' | 'negatives', spec: { use: string }, where: string) =>
    registry.get(kind, spec.use).checkOptions?.(spec, {
      path: [where], source: sourceMap,
      validateNested: (nestedKind, nested, at) => validateComponentOptions(registry, nestedKind, nested, at, sourceMap),
    });
  check('method', config.method, 'method');
  check('positives', checked.positives, 'positives');
  check('negatives', checked.negatives, 'negatives');
  return { config, slots: checked, registry, plugins, baseDir, configPath: input.configPath, sourceMap };
}
