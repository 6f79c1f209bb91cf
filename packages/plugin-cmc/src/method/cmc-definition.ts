import {
  buildHead, buildViewEncoders, buildViewNegatives, buildViewSet, checkViewSpecs, defineComponent, formatPath, isNoHead, locate,
  MultiViewEncoder, ConfigError, prefixVariables, viewPrefix, type ProjectionHead,
  VIEW_ENCODERS_SCHEMA, VIEW_SPECS_SCHEMA, type ComponentSpec, type ViewSpec,
} from '@contrastive/framework';
import { CmcMethod } from './cmc-method';
import { viewPairs, type CmcPairing } from './view-pairs';

/** Options of `method: { use: cmc }`, as written in a config. */
export interface CmcOptions {
  /**
   * The named views (at least two). Default ({@link defaultCmcViews}): the paper's L and ab
   * of CIE Lab for colour inputs, the image and its gradient magnitude for grey ones.
   */
  views?: ViewSpec[];
  /** Encoder per view name; a view not listed uses the `encoder` slot. */
  encoders?: Record<string, ComponentSpec>;
  /** `core` or `full-graph` (default). */
  pairing: CmcPairing;
  /** The core view of `core` (default: the first view). */
  coreView?: string;
}

/** The paper's colour views: L and ab of CIE Lab. */
export const DEFAULT_CMC_VIEWS: ViewSpec[] = [
  { name: 'L', transform: { use: 'lab-l' } },
  { name: 'ab', transform: { use: 'lab-ab' } },
];

/** Grey images have no colour to split: the image (intensity) and its edges. */
export const DEFAULT_GREY_CMC_VIEWS: ViewSpec[] = [
  { name: 'image', transform: { use: 'image' } },
  { name: 'edges', transform: { use: 'gradient-magnitude' } },
];

/**
 * The views of `method: { use: cmc }` without `views`: L/ab for 3-channel inputs (the paper),
 * image/edges otherwise, so a starter config trains on any data set.
 */
export function defaultCmcViews(inputChannels: number): ViewSpec[] {
  return structuredClone(inputChannels === 3 ? DEFAULT_CMC_VIEWS : DEFAULT_GREY_CMC_VIEWS);
}

/**
 * Registry entry of `method: { use: cmc }` (Contrastive Multiview Coding, arXiv:1906.05849).
 * Slots it uses: `encoder` (each view's, unless `encoders` names one), `negatives` (one per
 * view), `score`, `loss`, `augment` (the shared draw of views without their own). `positives`
 * is not used: the views are the positives.
 */
export const cmcMethodDefinition = defineComponent<'method', CmcOptions>({
  kind: 'method',
  name: 'cmc',
  description: 'Contrastive Multiview Coding: one encoder per named view, core or full-graph view pairs (arXiv:1906.05849).',
  schema: {
    type: 'object',
    properties: {
      views: { ...VIEW_SPECS_SCHEMA, description: `${VIEW_SPECS_SCHEMA.description} Default: L and ab of CIE Lab for colour images, the image and its gradient magnitude for grey ones.` },
      encoders: VIEW_ENCODERS_SCHEMA,
      pairing: {
        enum: ['core', 'full-graph'], default: 'full-graph',
        description: 'Which view pairs are contrasted: core (every view with the core view) or full-graph (every pair). Same with two views.',
      },
      coreView: { type: 'string', minLength: 1, description: 'The core view of pairing: core (default: the first view).' },
    },
    additionalProperties: false,
  },
  defaults: {
    encoder: { use: 'convnet', channels: [32, 64, 128], embeddingDim: 128 },
    positives: { use: 'two-views' },
    negatives: { use: 'in-batch' },
    score: { use: 'cosine', temperature: 0.1 },
    loss: { use: 'infonce' },
    augment: [{ use: 'random-resized-crop', scale: [0.3, 1] }, { use: 'flip' }],
  },
  checkOptions: (options, check) => {
    // Without `views`, the names either default may have (which one applies depends on the data).
    const views = options.views ?? [...DEFAULT_CMC_VIEWS, ...DEFAULT_GREY_CMC_VIEWS].map((v) => structuredClone(v));
    checkViewSpecs(views, options.encoders, check, { views: [...check.path, 'views'], encoders: [...check.path, 'encoders'] });
    const names = views.map((v) => v.name);
    if (options.coreView !== undefined && !names.includes(options.coreView)) {
      const path = [...check.path, 'coreView'];
      throw new ConfigError([{
        path: formatPath(path), file: check.source?.file, ...locate(check.source, path),
        message: `no view is named "${options.coreView}"; views: ${names.join(', ')}`,
      }]);
    }
  },
  create: (options, ctx) => {
    const views = buildViewSet(options.views ?? defaultCmcViews(ctx.inputShape[2]), ctx, 'method.views');
    const encoders = buildViewEncoders(views, options.encoders, ctx, 'method.encoders');
    const specs = Object.fromEntries(views.names.map((n) => [n, options.encoders?.[n] ?? ctx.slots.encoder]));
    // The `head` slot (API 1.1), one head per view under view-<name>/: the loss sees its output.
    const heads = new Map<string, ProjectionHead>();
    if (!isNoHead(ctx.slots.head)) {
      for (const n of views.names) heads.set(n, withPrefix(buildHead(ctx, encoders.get(n)!.embeddingDim), viewPrefix(n)));
    }
    const keyDims = new Map(views.names.map((n) => [n, heads.get(n)?.outputDim ?? encoders.get(n)!.embeddingDim]));
    if (new Set(keyDims.values()).size > 1) {
      throw new ConfigError([{
        path: 'method.encoders',
        message: `the views are contrasted with each other, so their encoders (or heads) must give vectors of one size; got ${[...keyDims].map(([n, d]) => `${n}: ${d}`).join(', ')}`,
      }]);
    }
    const negatives = buildViewNegatives(views.names, keyDims, specs, ctx.slots.negatives, ctx);
    const pairs = viewPairs(views.names, options.pairing, options.coreView);
    return new CmcMethod(new MultiViewEncoder(views, encoders), views, negatives, ctx.build('score', ctx.slots.score), ctx.build('loss', ctx.slots.loss), pairs, heads);
  },
});

/** The head with its variables under `prefix` (two views' heads would both own `head/...`). */
function withPrefix(head: ProjectionHead, prefix: string): ProjectionHead {
  const vars = prefixVariables(head, prefix);
  return {
    inputDim: head.inputDim, outputDim: head.outputDim,
    apply: (h, o) => head.apply(h, o),
    trainableVariables: vars.trainableVariables, namedVariables: vars.namedVariables, dispose: vars.dispose,
  };
}
