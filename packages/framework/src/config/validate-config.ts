import type { ValidateFunction } from 'ajv';
import { MlflowInputError, parseTrackingUri } from '@contrastive/mlflow-client';
import { isNoTracking } from '../tracking/no-tracking';
import type { ComponentSpec, MethodSlots } from '../registry/component-definition';
import type { KnnMonitorOptions } from '../monitor/knn-monitor';
import type { Registry } from '../registry/registry';
import { compileSchema } from './ajv';
import { componentSpecsIn, composeConfigSchema, kindAt } from './compose-schema';
import { unknownComponentMessage } from './component-options';
import { ConfigError, type ConfigIssue } from './config-error';
import { formatPath, getAtPath, isPlainObject, locate, show, type PathSegment, type SourceMap } from './json-path';
import { translateAjvErrors } from './translate-errors';

/** `backend:` values. */
export type BackendSetting = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** The `train:` block after validation. Exactly one of `epochs` and `steps` is set. */
export interface TrainConfig {
  epochs?: number;
  steps?: number;
  /** Optional cap on optimizer steps. */
  maxSteps?: number;
  optimizer: ComponentSpec;
  schedule: ComponentSpec;
  logEvery: number;
  /** Steps between checkpoints; 0 = only at the end. */
  checkpointEvery: number;
  outputDir: string;
  /** Online kNN accuracy every N steps (absent: off). */
  knnMonitor?: KnnMonitorOptions;
}

/**
 * The `tracking:` block. MLFLOW_TRACKING_URI and MLFLOW_EXPERIMENT_NAME override `uri` and
 * `experiment`; without either the run goes to the file store `./mlruns`, experiment `Default`.
 * `uri: none` turns MLflow off (records stay in the run folder).
 */
export interface TrackingConfig {
  uri?: string;
  experiment?: string;
  /** Seconds between batched sends (default 2). */
  flushSeconds?: number;
  /** Seconds the end of a run waits for an unreachable server (default 30). */
  waitAtEndSeconds?: number;
}

/**
 * The `eval:` block: which evaluations run after training, with their options. Only its
 * keys are checked here; @contrastive/eval defines and validates the options inside.
 */
export interface EvalConfig {
  representation?: string;
  data?: Record<string, unknown>;
  batchSize?: number;
  seed?: number;
  linearProbe?: Record<string, unknown> | boolean;
  knn?: Record<string, unknown> | boolean;
  labelEfficiency?: Record<string, unknown> | boolean;
  baselines?: Record<string, unknown> | boolean;
  plot?: Record<string, unknown> | boolean;
}

/**
 * A validated config with every default filled in. Slot overrides (`encoder`, `positives`,
 * `negatives`, `score`, `loss`, `augment`) are present only if the config sets them; see
 * resolveMethodSlots() for the slots a run actually uses.
 */
export interface ResolvedConfig extends Partial<MethodSlots> {
  name: string;
  seed: number;
  backend: BackendSetting;
  plugins: string[];
  data: ComponentSpec;
  method: ComponentSpec;
  train: TrainConfig;
  tracking: TrackingConfig;
  eval: EvalConfig;
}

const cache = new WeakMap<Registry, { signature: string; validate: ValidateFunction }>();

/** The compiled whole-config validator for what the registry holds now. */
function configValidator(registry: Registry): ValidateFunction {
  const defs = registry.list();
  const signature = defs.map((d) => `${d.kind}:${d.name}`).join(',');
  const hit = cache.get(registry);
  if (hit && hit.signature === signature) return hit.validate;
  const validate = compileSchema(composeConfigSchema(registry), defs);
  cache.set(registry, { signature, validate });
  return validate;
}

/** Checks JSON Schema cannot express. */
function semanticIssues(config: Record<string, unknown>): { path: PathSegment[]; message: string }[] {
  const issues: { path: PathSegment[]; message: string }[] = [];
  const train = config.train;
  if (isPlainObject(train) && train.epochs !== undefined && train.steps !== undefined) {
    issues.push({ path: ['train', 'steps'], message: 'set either train.epochs or train.steps, not both' });
  }
  const tracking = config.tracking;
  if (isPlainObject(tracking) && typeof tracking.uri === 'string' && !isNoTracking(tracking.uri)) {
    try {
      parseTrackingUri(tracking.uri);
    } catch (err) {
      if (!(err instanceof MlflowInputError)) throw err;
      issues.push({ path: ['tracking', 'uri'], message: err.message });
    }
  }
  return issues;
}

/**
 * Validates a raw config (parsed JSON/YAML, after `--set` overrides) against the schema
 * composed from the registry, and returns it with every default filled in. The input is
 * not modified.
 *
 * @param source where values came from, so each issue carries its file and line
 * @throws ConfigError listing every problem as `file:line: path: message`
 */
export function validateConfig(raw: unknown, registry: Registry, source?: SourceMap): ResolvedConfig {
  const issue = (path: PathSegment[], message: string): ConfigIssue => ({
    path: formatPath(path), message, file: source?.file, ...locate(source, path),
  });
  if (!isPlainObject(raw)) {
    throw new ConfigError([issue([], `the config must be a mapping of keys to values (got ${show(raw)})`)]);
  }
  const config = structuredClone(raw);
  const validate = configValidator(registry);
  validate(config);

  const issues: ConfigIssue[] = [];
  const unknownPlaces: string[] = [];
  for (const { kind, path, spec } of componentSpecsIn(config)) {
    if (typeof spec.use !== 'string' || registry.has(kind, spec.use)) continue;
    const usePath = [...path, 'use'];
    const note = getAtPath(raw, usePath) === undefined ? ' (the default)' : '';
    issues.push(issue(usePath, unknownComponentMessage(registry, kind, spec.use, note)));
    unknownPlaces.push(formatPath(path));
  }
  const describeUse = (path: PathSegment[]) => {
    const kind = kindAt(path);
    return kind ? `(which ${kind} to use: ${registry.names(kind).join(', ') || 'none registered'})` : '';
  };
  for (const err of translateAjvErrors(validate.errors ?? [], config, describeUse)) {
    const key = formatPath(err.path);
    if (unknownPlaces.some((p) => key === p || key.startsWith(`${p}.`))) continue;
    issues.push(issue(err.path, err.message));
  }
  for (const err of semanticIssues(config)) issues.push(issue(err.path, err.message));
  if (issues.length > 0) {
    const order = (i: ConfigIssue) => i.line ?? Number.MAX_SAFE_INTEGER;
    throw new ConfigError(issues.sort((a, b) => order(a) - order(b)));
  }

  const train = config.train as unknown as TrainConfig;
  if (train.epochs === undefined && train.steps === undefined) train.epochs = 1;
  return config as unknown as ResolvedConfig;
}
