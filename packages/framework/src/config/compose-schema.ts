import type { ComponentDefinition, ComponentKind, JsonSchema } from '../registry/component-definition';
import type { Registry } from '../registry/registry';
import { KNN_MONITOR_SCHEMA } from '../monitor/knn-monitor';
import { getAtPath, isPlainObject, type PathSegment } from './json-path';

/** Where each kind of component is chosen in a config (`many`: a list of them). */
export interface ComponentPlace {
  kind: ComponentKind;
  path: readonly string[];
  many?: boolean;
  description: string;
}

/** The places in a config that name a component with `use`. */
export const COMPONENT_PLACES: readonly ComponentPlace[] = [
  { kind: 'data', path: ['data'], description: 'The data source, with its options (batchSize, ...).' },
  { kind: 'method', path: ['method'], description: 'The contrastive method, with its options.' },
  { kind: 'encoder', path: ['encoder'], description: 'Overrides the method\'s encoder.' },
  { kind: 'positives', path: ['positives'], description: 'Overrides how (anchor, positive) pairs are built.' },
  { kind: 'negatives', path: ['negatives'], description: 'Overrides where negatives come from.' },
  { kind: 'score', path: ['score'], description: 'Overrides the score function.' },
  { kind: 'loss', path: ['loss'], description: 'Overrides the contrastive loss.' },
  { kind: 'head', path: ['head'], description: 'The projection head between the encoder and the loss (default: the method\'s, else none).' },
  { kind: 'augment', path: ['augment'], many: true, description: 'Overrides the augmentation pipeline, applied in order.' },
  { kind: 'optimizer', path: ['train', 'optimizer'], description: 'The optimizer.' },
  { kind: 'schedule', path: ['train', 'schedule'], description: 'The learning-rate schedule.' },
];

/** Every component spec in a config, with its kind and path (places that are not objects are skipped). */
export function componentSpecsIn(config: unknown): { kind: ComponentKind; path: PathSegment[]; spec: Record<string, unknown> }[] {
  const found: { kind: ComponentKind; path: PathSegment[]; spec: Record<string, unknown> }[] = [];
  for (const place of COMPONENT_PLACES) {
    const value = getAtPath(config, place.path);
    const items: [PathSegment[], unknown][] = place.many
      ? Array.isArray(value) ? value.map((v, i) => [[...place.path, i], v]) : []
      : [[[...place.path], value]];
    for (const [path, spec] of items) if (isPlainObject(spec)) found.push({ kind: place.kind, path, spec });
  }
  return found;
}

/** The kind of component expected at a path, if the path is a component place. */
export function kindAt(path: readonly PathSegment[]): ComponentKind | undefined {
  const place = COMPONENT_PLACES.find((p) => {
    const len = p.path.length + (p.many ? 1 : 0);
    return path.length === len && p.path.every((s, i) => path[i] === s) && (!p.many || typeof path[len - 1] === 'number');
  });
  return place?.kind;
}

/** A component's options schema as one `oneOf` branch: `use: {const: name}` added, unknown keys refused. */
export function componentBranch(def: ComponentDefinition): JsonSchema {
  const { $id: _id, $schema: _schema, ...schema } = def.schema as JsonSchema & { $id?: unknown; $schema?: unknown };
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const from = def.source && def.source !== '@contrastive/framework' ? ` (from ${def.source})` : '';
  return {
    ...schema,
    type: 'object',
    title: def.name,
    description: `${def.description}${from}`,
    properties: {
      use: { const: def.name, description: `${def.kind} "${def.name}": ${def.description}` },
      ...((schema.properties as JsonSchema | undefined) ?? {}),
    },
    required: ['use', ...required.filter((k) => k !== 'use')],
    additionalProperties: schema.additionalProperties ?? false,
  };
}

/** The schema of one component place: a `oneOf` over every registered component of that kind. */
export function placeSchema(registry: Registry, kind: ComponentKind, description: string, extra: JsonSchema = {}): JsonSchema {
  const defs = registry.list(kind);
  const names = defs.map((d) => d.name);
  const base = {
    type: 'object',
    description: `${description} One of: ${names.join(', ') || '(none registered)'}.`,
    required: ['use'],
    properties: { use: { type: 'string', description: `Which ${kind} component to use.` } },
    ...extra,
  };
  if (defs.length === 0) return base;
  return { ...base, discriminator: { propertyName: 'use' }, oneOf: defs.map(componentBranch) };
}

/**
 * The JSON Schema of a whole experiment config for the components registered now: every
 * component place is a `oneOf` over the registered components of its kind, discriminated by
 * `use` (ajv's `discriminator`), so errors are about the chosen component. Titles and
 * descriptions let editors complete configs; `contrastive schema` prints this.
 */
export function composeConfigSchema(registry: Registry): JsonSchema {
  const place = (kind: ComponentKind, extra?: JsonSchema) =>
    placeSchema(registry, kind, COMPONENT_PLACES.find((p) => p.kind === kind)!.description, extra);
  const int = (minimum: number, description: string, dflt?: number) =>
    ({ type: 'integer', minimum, description, ...(dflt === undefined ? {} : { default: dflt }) });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Contrastive experiment config',
    description: 'An experiment of @contrastive/framework: data, method, slot overrides, training, tracking and evaluation.',
    type: 'object',
    additionalProperties: false,
    required: ['data'],
    properties: {
      name: { type: 'string', minLength: 1, default: 'run', description: 'Run name in MLflow.' },
      seed: int(0, 'Seed of every random choice (initialisation, augmentation, data order).', 0),
      backend: { enum: ['auto', 'tensorflow', 'wasm', 'cpu'], default: 'auto', description: 'TensorFlow.js backend; auto picks the best available.' },
      plugins: {
        type: 'array', default: [], items: { type: 'string', minLength: 1 },
        description: 'Plugin packages to load by name, e.g. "@contrastive/plugin-moco".',
      },
      data: place('data'),
      method: place('method', { default: { use: 'infonce' } }),
      encoder: place('encoder'),
      positives: place('positives'),
      negatives: place('negatives'),
      score: place('score'),
      loss: place('loss'),
      head: place('head'),
      augment: { type: 'array', items: place('augment'), description: COMPONENT_PLACES.find((p) => p.kind === 'augment')?.description },
      train: {
        type: 'object', default: {}, additionalProperties: false, description: 'How long and how to train.',
        properties: {
          epochs: int(1, 'Passes over the training data (default 1; exclusive with steps).'),
          steps: int(1, 'Optimizer steps to train for (exclusive with epochs).'),
          maxSteps: int(1, 'Stop after this many steps even if epochs are not done.'),
          optimizer: place('optimizer', { default: { use: 'adam' } }),
          schedule: place('schedule', { default: { use: 'constant' } }),
          logEvery: int(1, 'Log metrics every N steps.', 10),
          checkpointEvery: int(0, 'Checkpoint every N steps; 0 = only at the end.', 0),
          outputDir: { type: 'string', minLength: 1, default: 'runs', description: 'Directory for checkpoints and local artifacts.' },
          knnMonitor: KNN_MONITOR_SCHEMA,
        },
      },
      tracking: {
        type: 'object', default: {}, additionalProperties: false,
        description: 'MLflow tracking. MLFLOW_TRACKING_URI overrides uri and MLFLOW_EXPERIMENT_NAME overrides experiment.',
        properties: {
          uri: { type: 'string', minLength: 1, description: 'Local file store path or file:// URI (default ./mlruns), http(s):// tracking server, or none (no MLflow: records stay in the run folder).' },
          experiment: { type: 'string', minLength: 1, description: 'MLflow experiment name (default: Default).' },
          flushSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 3600, default: 2, description: 'How often batched records are sent to MLflow.' },
          waitAtEndSeconds: { type: 'number', minimum: 0, maximum: 86400, default: 30, description: 'How long the end of a run waits for an unreachable server before leaving the records in the spool.' },
        },
      },
      // The options inside each key are defined and validated by @contrastive/eval.
      eval: {
        type: 'object', default: {}, additionalProperties: false,
        description: 'Evaluations after training (options: see @contrastive/eval); a non-empty block runs them after `contrastive train`.',
        properties: {
          representation: { type: 'string', description: 'Representation to evaluate: global, a feature map, or one the method provides.' },
          data: { type: 'object', description: 'Values merged into the data block for evaluation.' },
          batchSize: { type: 'integer', description: 'Images per forward pass when extracting features.' },
          seed: { type: 'integer', description: 'Seed of the evaluation.' },
          linearProbe: { type: ['object', 'boolean'], description: 'Linear probe on frozen representations.' },
          knn: { type: ['object', 'boolean'], description: 'k-nearest-neighbour classification.' },
          labelEfficiency: { type: ['object', 'boolean'], description: 'Linear probe on fractions of the labels.' },
          baselines: { type: ['object', 'boolean'], description: 'Untrained-encoder and raw-pixel baselines.' },
          plot: { type: ['object', 'boolean'], description: '2-D embedding plot of test features.' },
        },
      },
    },
  };
}
