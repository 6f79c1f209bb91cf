import type { Images, PositiveSampler, Rng, ViewPair } from '../contracts';
import { defineComponent, type ComponentSpec } from '../registry/component-definition';
import { UserInputError } from '../registry/errors';
import { buildViewSet, type ViewSet } from '../views/view-set';

/** Options of the `view-pair` positives. */
export interface ViewPairOptions {
  anchor: ComponentSpec;
  positive: ComponentSpec;
}

/**
 * Positives as two *views* (API 1.4) of each example through one encoder: each an independent
 * draw of the `augment` pipeline, then its view transform. With two `image` views this is
 * exactly `two-views` (the same random draws, the same pairs); with e.g. `image` vs
 * `gradient-magnitude` one encoder learns what an image and its edges share. Both views must
 * have one shape (one encoder reads both); views with their own channels need one encoder
 * each: a multi-view method such as plugin-cmc's `cmc`.
 *
 * Shapes: x [B, H, W, C] -> anchor, positive [B, h, w, c].
 *
 * @example
 * ```yaml
 * positives: { use: view-pair, anchor: { use: image }, positive: { use: gradient-magnitude } }
 * ```
 */
export class ViewPairSampler implements PositiveSampler {
  constructor(private readonly views: ViewSet) {}

  sample(x: Images, rng: Rng): ViewPair {
    const { anchor, positive } = this.views.sample(x, rng);
    return { anchor, positive };
  }
}

const VIEW = { type: 'object', required: ['use'], properties: { use: { type: 'string' } } };

/** Registry entry of the `view-pair` positives (kind `positives`, API 1.4). See {@link ViewPairSampler}. */
export const viewPairSamplerDefinition = defineComponent<'positives', ViewPairOptions>({
  kind: 'positives',
  name: 'view-pair',
  description: 'Two views (view transforms) of each example, each after its own draw of the `augment` slot; one encoder.',
  schema: {
    type: 'object', required: ['anchor', 'positive'], additionalProperties: false,
    properties: {
      anchor: { ...VIEW, description: 'The anchor\'s view, e.g. { use: image }.' },
      positive: { ...VIEW, description: 'The positive\'s view, e.g. { use: gradient-magnitude }.' },
    },
  },
  checkOptions: (o, check) => {
    o.anchor = check.validateNested('view', o.anchor, [...check.path, 'anchor']);
    o.positive = check.validateNested('view', o.positive, [...check.path, 'positive']);
  },
  create: (o, ctx) => {
    const views = buildViewSet([
      { name: 'anchor', transform: o.anchor, augment: ctx.slots.augment },
      { name: 'positive', transform: o.positive, augment: ctx.slots.augment },
    ], ctx, 'positives');
    const [a, p] = views.views.map((v) => v.shape);
    if (a.join('x') !== p.join('x') || a.join('x') !== ctx.inputShape.join('x')) {
      throw new UserInputError(
        `positives: one encoder reads both views, so both must have the input's shape [${ctx.inputShape.join(', ')}]; ` +
          `got anchor [${a.join(', ')}], positive [${p.join(', ')}] (views with their own shapes need one encoder each, e.g. method cmc)`,
      );
    }
    return new ViewPairSampler(views);
  },
});
