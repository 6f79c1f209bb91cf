import { BASELINE_DEFAULTS, KNN_DEFAULTS, LABEL_EFFICIENCY_DEFAULTS, LINEAR_PROBE_DEFAULTS, PLOT_DEFAULTS } from './eval-options';

const int = (minimum: number, dflt: number, description: string, maximum?: number) =>
  ({ type: 'integer', minimum, ...(maximum === undefined ? {} : { maximum }), default: dflt, description });
const num = (bounds: Record<string, number>, dflt: number, description: string) =>
  ({ type: 'number', ...bounds, default: dflt, description });

/** A block that can be `false` (skip), `true` (defaults) or an object of options. */
const block = (description: string, properties: Record<string, unknown>) =>
  ({ type: ['object', 'boolean'], description: `${description} false skips it; true or {} uses the defaults.`, properties, additionalProperties: false });

/**
 * JSON Schema (draft-07) of the `eval:` block, the options of `contrastive eval` and of
 * {@link evaluateRun}. Defaults are written in; `contrastive schema` includes it.
 */
export const EVAL_OPTIONS_SCHEMA = {
  type: 'object',
  title: 'eval',
  description: 'Evaluation of the trained representation (@contrastive/eval): linear probe, kNN, label efficiency, baselines, embedding plot.',
  additionalProperties: false,
  properties: {
    representation: {
      type: 'string', minLength: 1, default: 'global',
      description: 'Which representation to evaluate: global, an encoder feature map (global-average pooled, e.g. conv1), or one the method provides.',
    },
    data: {
      type: 'object', default: {},
      description: 'Values merged into the run\'s data block for evaluation, e.g. { limit: 10000 }.',
    },
    batchSize: int(1, 512, 'Images per forward pass when extracting features.'),
    seed: int(0, 0, 'Seeds the held-out split, example order, label subsets and the plot layout.'),
    linearProbe: block('Multinomial logistic regression on frozen, standardised features (top-1/top-5).', {
      epochs: int(1, LINEAR_PROBE_DEFAULTS.epochs, 'Most epochs (early stopping usually ends sooner).'),
      batchSize: int(1, LINEAR_PROBE_DEFAULTS.batchSize, 'Examples per Adam step.'),
      lr: num({ exclusiveMinimum: 0 }, LINEAR_PROBE_DEFAULTS.lr, 'Initial Adam learning rate.'),
      weightDecay: num({ minimum: 0 }, LINEAR_PROBE_DEFAULTS.weightDecay, 'L2 penalty on the weights: loss + weightDecay/2 * |W|^2.'),
      patience: int(1, LINEAR_PROBE_DEFAULTS.patience, 'Epochs without progress on the held-out loss before the learning rate drops (or training stops).'),
      lrDrops: int(0, LINEAR_PROBE_DEFAULTS.lrDrops, 'Times the learning rate is divided by 10 on a plateau before the next plateau stops training.', 10),
      validationFraction: num({ minimum: 0, exclusiveMaximum: 0.5 }, LINEAR_PROBE_DEFAULTS.validationFraction,
        'Share of each class of the labelled examples held out for early stopping (0: no early stopping).'),
    }),
    knn: block('Weighted kNN with cosine similarity (InstDisc).', {
      k: int(1, KNN_DEFAULTS.k, 'Neighbours that vote.'),
      temperature: num({ exclusiveMinimum: 0 }, KNN_DEFAULTS.temperature, 'Vote weight exp(similarity / temperature).'),
    }),
    labelEfficiency: block('Linear probe on class-balanced fractions of the training labels.', {
      fractions: {
        type: 'array', minItems: 1, uniqueItems: true, default: LABEL_EFFICIENCY_DEFAULTS.fractions,
        items: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
        description: 'Fractions of the labels, e.g. [0.01, 0.1, 1].',
      },
    }),
    baselines: {
      type: ['object', 'boolean'], additionalProperties: false,
      description: 'Baselines computed by the same code on the same data; false skips both.',
      properties: {
        untrained: { type: 'boolean', default: BASELINE_DEFAULTS.untrained, description: 'The same encoder at its initialisation (same seed).' },
        rawPixels: { type: 'boolean', default: BASELINE_DEFAULTS.rawPixels, description: 'The flattened pixels.' },
        cache: { type: 'boolean', default: BASELINE_DEFAULTS.cache, description: 'Reuse baseline results of the same data, protocol and model config (~/.cache/contrastive/eval-baselines or $CONTRASTIVE_EVAL_CACHE_DIR).' },
      },
    },
    plot: block('2-D UMAP projection of test features coloured by class, saved as PNG.', {
      method: { enum: ['umap'], default: PLOT_DEFAULTS.method, description: 'Projection method.' },
      maxPoints: int(10, PLOT_DEFAULTS.maxPoints, 'Test examples plotted (class balanced).', 20000),
      neighbors: int(2, PLOT_DEFAULTS.neighbors, 'UMAP neighbourhood size.', 200),
      minDist: num({ minimum: 0, maximum: 1 }, PLOT_DEFAULTS.minDist, 'UMAP minimum distance.'),
      epochs: int(1, PLOT_DEFAULTS.epochs, 'UMAP optimisation epochs.', 2000),
      width: int(200, PLOT_DEFAULTS.width, 'Image width in pixels.', 4000),
      height: int(200, PLOT_DEFAULTS.height, 'Image height in pixels.', 4000),
    }),
  },
} as const;
