import * as tf from '@tensorflow/tfjs';
import type { Augmentation, Images, Rng, ViewShape, ViewTransform } from '../contracts';
import type { BuildContext } from '../registry/component-definition';
import { UserInputError } from '../registry/errors';
import { composeAugmentations } from '../augment';
import type { ViewSpec } from './view-specs';

/** One built view: its transform, its own augmentation (null: the shared draw) and its shape. */
export interface BuiltView {
  name: string;
  transform: ViewTransform;
  augment: Augmentation | null;
  /** [h, w, c] of the view for the run's inputs. */
  shape: ViewShape;
}

/**
 * Named views of a batch (API 1.4), in the order the config lists them. For training,
 * `sample` draws the augmentations (one shared draw of the `augment` slot for the views
 * without their own, then each own pipeline, in view order) and applies each transform; for
 * evaluation, `transform` applies the transforms only. The framework's `two-views` sampler is
 * the common case of this: two views, the `image` transform, each with its own draw.
 *
 * @example
 * ```ts
 * const views = buildViewSet([{ name: 'L', transform: { use: 'lab-l' } }, { name: 'ab', transform: { use: 'lab-ab' } }], ctx);
 * const { L, ab } = views.sample(x, rng); // [B, H, W, 1], [B, H, W, 2]
 * ```
 */
export class ViewSet {
  constructor(readonly views: readonly BuiltView[], private readonly shared: Augmentation) {}

  get names(): string[] {
    return this.views.map((v) => v.name);
  }

  /** The view called `name`. @throws Error naming the views when there is none. */
  get(name: string): BuiltView {
    const view = this.views.find((v) => v.name === name);
    if (!view) throw new Error(`no view named "${name}"; views: ${this.names.join(', ')}`);
    return view;
  }

  /** Augmented views for a training step: [B, H, W, C] -> { name: [B, h, w, c] }; the caller disposes them. */
  sample(x: Images, rng: Rng): Record<string, Images> {
    return tf.tidy(() => {
      const shared = this.views.some((v) => !v.augment) ? this.shared.apply(x, rng) : null;
      const out: Record<string, Images> = {};
      for (const v of this.views) out[v.name] = v.transform.apply(v.augment ? v.augment.apply(x, rng) : shared!);
      return out;
    });
  }

  /** One view without augmentation (evaluation): [B, H, W, C] -> [B, h, w, c]. */
  transform(name: string, x: Images): Images {
    return this.get(name).transform.apply(x);
  }
}

/** An augmentation that returns a copy of its input (an empty pipeline). */
const identity: Augmentation = { apply: (x) => tf.clone(x) };

/**
 * Builds views from their specs for the run's input shape, checking each transform on a
 * probe batch of zeros: a transform that cannot take the input, that yields an empty tensor
 * or one of another shape than it declares is a UserInputError naming `where[i]`.
 * When every view is a `channels` split, together they must cover every input channel.
 *
 * @param where JSON path of the views in the config, for messages (e.g. `method.views`)
 */
export function buildViewSet(specs: readonly ViewSpec[], ctx: BuildContext, where = 'method.views'): ViewSet {
  if (specs.length < 2) throw new UserInputError(`${where}: contrast needs at least two views; got ${specs.length}`);
  const input = ctx.inputShape;
  const augmentFrom = (list: readonly { use: string }[]) => {
    const built = list.map((a) => ctx.build('augment', a));
    return built.length > 0 ? composeAugmentations(built) : identity;
  };
  const views = specs.map((spec, i): BuiltView => {
    const at = `${where}[${i}] (view "${spec.name}")`;
    const transform = ctx.build('view', spec.transform);
    let shape: ViewShape;
    try {
      shape = transform.outputShape(input);
    } catch (err) {
      throw new UserInputError(`${at}: ${spec.transform.use} cannot make a view of [${input.join(', ')}] images: ${(err as Error).message}`);
    }
    checkProbe(transform, input, shape, `${at}: transform "${spec.transform.use}"`);
    return { name: spec.name, transform, shape, augment: spec.augment ? augmentFrom(spec.augment) : null };
  });
  checkChannelCover(specs, input[2], where);
  return new ViewSet(views, augmentFrom(ctx.slots.augment));
}

/** Applies the transform to zeros [2, ...input] and compares with [2, ...declared]. */
function checkProbe(transform: ViewTransform, input: ViewShape, declared: ViewShape, at: string): void {
  const wanted = [2, ...declared];
  if (declared.some((d) => !(Number.isInteger(d) && d >= 1))) {
    throw new UserInputError(`${at} declares an empty or invalid view shape [${declared.join(', ')}] for [${input.join(', ')}] images`);
  }
  const got = tf.tidy(() => transform.apply(tf.zeros([2, ...input]) as Images).shape);
  if (got.some((d) => d === 0)) {
    throw new UserInputError(`${at} yields an empty tensor [${got.join(', ')}] for a batch [2, ${input.join(', ')}]`);
  }
  if (got.length !== 4 || got.some((d, k) => d !== wanted[k])) {
    throw new UserInputError(`${at} yields a tensor [${got.join(', ')}] for a batch [2, ${input.join(', ')}]; expected [${wanted.join(', ')}] (a batch of images, as its outputShape says)`);
  }
}

/** A split of the channels into views must not leave a channel out. */
function checkChannelCover(specs: readonly ViewSpec[], channels: number, where: string): void {
  if (!specs.every((s) => s.transform.use === 'channels')) return;
  const used = new Set(specs.flatMap((s) => s.transform.indices as number[]));
  const missing = Array.from({ length: channels }, (_, c) => c).filter((c) => !used.has(c));
  if (missing.length > 0) {
    throw new UserInputError(
      `${where}: the channel split covers channels ${[...used].sort().join(', ')} of the ${channels}-channel input; ` +
        `channel(s) ${missing.join(', ')} are in no view (add them to a view's indices)`,
    );
  }
}
