import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import {
  ConfigError, formatPath, locate, translateAjvErrors, type ConfigIssue, type PathSegment, type SourceMap,
} from '@contrastive/framework';
import {
  BASELINE_DEFAULTS, KNN_DEFAULTS, LABEL_EFFICIENCY_DEFAULTS, LINEAR_PROBE_DEFAULTS, PLOT_DEFAULTS, type EvalOptions,
} from './eval-options';
import { EVAL_OPTIONS_SCHEMA } from './eval-options-schema';

let compiled: ValidateFunction | null = null;

function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true }).compile(EVAL_OPTIONS_SCHEMA);
  return compiled;
}

/** Where the options came from, so errors point at the config file and line. */
export interface EvalOptionsSource {
  /** Path of the block inside the config (default `['eval']`). */
  prefix?: PathSegment[];
  /** The config's source map (from `prepareRun(...).sourceMap`). */
  sourceMap?: SourceMap;
}

/**
 * Validates an `eval:` block (parsed YAML/JSON) against {@link EVAL_OPTIONS_SCHEMA} and
 * returns it with every default filled in; `true` blocks become their defaults, and
 * `baselines: false` turns both baselines off. The input is not modified.
 *
 * @throws ConfigError (a UserInputError, exit code 2) listing every problem as
 *   `file:line: eval.knn.k: must be >= 1 (got 0)`
 */
export function resolveEvalOptions(raw: unknown, source: EvalOptionsSource = {}): EvalOptions {
  const prefix = source.prefix ?? ['eval'];
  const options = structuredClone(raw ?? {}) as Record<string, unknown>;
  const validate = validator();
  if (!validate(options)) {
    const issues: ConfigIssue[] = translateAjvErrors(validate.errors ?? [], options).map((e) => {
      const path = [...prefix, ...e.path];
      return { path: formatPath(path), message: e.message, file: source.sourceMap?.file, ...locate(source.sourceMap, path) };
    });
    throw new ConfigError(issues);
  }
  const on = <T>(value: unknown, defaults: T): T | false =>
    value === false ? false : value === true ? structuredClone(defaults) : (value as T);
  const baselines = options.baselines === undefined ? true : options.baselines;
  return {
    representation: options.representation as string,
    data: options.data as Record<string, unknown>,
    batchSize: options.batchSize as number,
    seed: options.seed as number,
    linearProbe: on(options.linearProbe ?? true, LINEAR_PROBE_DEFAULTS),
    knn: on(options.knn ?? true, KNN_DEFAULTS),
    labelEfficiency: on(options.labelEfficiency ?? true, LABEL_EFFICIENCY_DEFAULTS),
    baselines: baselines === false ? { untrained: false, rawPixels: false, cache: false } : on(baselines, BASELINE_DEFAULTS) as typeof BASELINE_DEFAULTS,
    plot: on(options.plot ?? true, PLOT_DEFAULTS),
  };
}
