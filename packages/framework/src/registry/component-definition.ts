import type { ViewTransform } from '../contracts/views';
import type { PathSegment, SourceMap } from '../config/json-path';
import type {
  Augmentation, ContrastiveLoss, DataSource, Encoder, Estimator, Method, NegativeSampler, Optimizer,
  Modality, PositiveSampler, ProjectionHead, Rng, Schedule, ScoreFunction, Tracker,
} from '../contracts';

/** A JSON Schema object (draft-07 subset that ajv understands). */
export type JsonSchema = Record<string, unknown>;

/** What each kind of component builds to. */
export interface ComponentKindMap {
  data: DataSource;
  encoder: Encoder;
  head: ProjectionHead;
  augment: Augmentation;
  positives: PositiveSampler;
  negatives: NegativeSampler;
  score: ScoreFunction;
  loss: ContrastiveLoss;
  method: Method;
  optimizer: Optimizer;
  schedule: Schedule;
  tracker: Tracker;
  /** API 1.4: a deterministic transformation of the input into one named view (see src/views). */
  view: ViewTransform;
  /** Since framework API 1.2.0: an MI estimator over scored pairs with a positive mask. */
  estimator: Estimator;
}

export type ComponentKind = keyof ComponentKindMap;

export const COMPONENT_KINDS: readonly ComponentKind[] = [
  'data', 'encoder', 'head', 'augment', 'positives', 'negatives', 'score', 'loss', 'method',
  'optimizer', 'schedule', 'tracker', 'view', 'estimator',
];

/** A config block naming a component by `use`, plus its options. */
export interface ComponentSpec {
  use: string;
  [option: string]: unknown;
}

/** The slots a method is composed of; any of them may be overridden in the config. */
export interface MethodSlots {
  encoder: ComponentSpec;
  positives: ComponentSpec;
  negatives: ComponentSpec;
  score: ComponentSpec;
  loss: ComponentSpec;
  augment: ComponentSpec[];
  /**
   * The projection head between the encoder and the loss (framework API 1.1). Optional:
   * when neither the method's defaults nor the config set it, it resolves to `{ use: none }`.
   * A method that has no use for a head ignores it.
   */
  head?: ComponentSpec;
}

/** Slots that resolve to a fixed spec when neither the method nor the config sets them. */
export const OPTIONAL_SLOT_DEFAULTS: Readonly<Record<'head', ComponentSpec>> = { head: { use: 'none' } };

export const METHOD_SLOT_NAMES: readonly (keyof MethodSlots)[] = [
  'encoder', 'positives', 'negatives', 'score', 'loss', 'augment',
];

/** Handed to every factory: randomness, shapes, and recursive building of nested parts. */
export interface BuildContext {
  /** Seeded generator for initialisation; factories fork it rather than share it. */
  rng: Rng;
  /** [height, width, channels] of the training images; [T, D, 1] for sequences (see `modality`). */
  inputShape: readonly [number, number, number];
  /** The modality of the training data (framework API 1.3.0); absent means `image`. */
  modality?: Modality;
  /** Directory against which relative paths in the config resolve. */
  baseDir: string;
  /** The fully resolved slots of this run (method defaults overlaid by the config). */
  slots: MethodSlots;
  /**
   * Builds a nested component (options are validated and defaulted first). The factory gets
   * the context `build` is called on, so `{ ...ctx, inputShape: patchShape }.build(...)`
   * builds a part for another input (CPC's encoder of image patches).
   */
  build<K extends ComponentKind>(kind: K, spec: ComponentSpec): ComponentKindMap[K];
  /**
   * API 1.4: the number of training examples, when known (the trainer and evaluation set
   * it); components that keep one entry per example (a memory bank) size themselves by it.
   */
  trainingExamples?: number;
  /**
   * API 1.4: a context like this one for a part that sees other inputs or slots, e.g. the
   * encoder of a view with its own channels (`inputShape`), or the negatives of that view
   * (`slots.encoder` = the view's encoder). Contexts from `createBuildContext` have it.
   */
  derive?(changes: { inputShape?: readonly [number, number, number]; slots?: MethodSlots }): BuildContext;
}

/** API 1.4: what {@link ComponentDefinition.checkOptions} may use to check nested specs. */
export interface OptionsCheckContext {
  /**
   * Validates a nested component spec (e.g. a view's transform) against its component's
   * schema; errors name `path` and the config line. Returns the spec with defaults filled in.
   */
  validateNested(kind: ComponentKind, spec: unknown, path: readonly PathSegment[]): ComponentSpec;
  /** JSON path of the component's own block, e.g. `['method']`. */
  readonly path: readonly PathSegment[];
  /** The config file's line map, for messages. */
  readonly source?: SourceMap;
}

/**
 * One registered component: its kind, its name (`use` value, kebab-case), a JSON Schema
 * for its options (without `use`), and a factory. Defaults in the schema are filled in
 * before `create` is called, so `create` receives complete options.
 */
export interface ComponentDefinition<K extends ComponentKind = ComponentKind, O = any> {
  readonly kind: K;
  readonly name: string;
  readonly description: string;
  readonly schema: JsonSchema;
  create(options: O, ctx: BuildContext): ComponentKindMap[K];
  /**
   * Framework API 1.3.0. For a data source: the modality it yields (one entry). For an
   * encoder or a method: the modalities it accepts. Absent means `['image']`. A config whose
   * data modality is not accepted by its encoder or method is refused before anything is
   * built (see checkModality).
   */
  readonly modalities?: readonly Modality[];
  /**
   * API 1.4, optional: checks what a schema cannot (cross-references between options,
   * nested component specs) before anything is built; `contrastive validate` runs it. Throws
   * a ConfigError (or UserInputError) naming the JSON path. Called for the run's method, positives and negatives.
   */
  checkOptions?(options: O, check: OptionsCheckContext): void;
  /** For methods only: the component used in each slot unless the config overrides it. */
  readonly defaults?: Partial<MethodSlots>;
  /** Set by the registry: the plugin package that registered it, or `@contrastive/framework`. */
  readonly source?: string;
}

/** Helper that keeps a definition's option type and kind together. */
export function defineComponent<K extends ComponentKind, O>(
  definition: ComponentDefinition<K, O>,
): ComponentDefinition<K, O> {
  return definition;
}
