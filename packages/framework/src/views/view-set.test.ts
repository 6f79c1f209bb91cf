import * as tf from '@tensorflow/tfjs';
import type { Images, ViewTransform } from '../contracts';
import { createRegistry } from '../builtins';
import { defineComponent, type MethodSlots } from '../registry/component-definition';
import { UserInputError } from '../registry/errors';
import { createBuildContext } from '../trainer/build-context';
import { SeededRng } from '../util/rng';
import { expectClose, leakedTensors, useTestBackend } from '../test-helpers';
import { ChannelsView } from './channel-views';
import { GradientMagnitudeView } from './gradient-magnitude-view';
import { RegionView } from './region-view';
import { buildViewSet } from './view-set';
import { buildViewEncoders, MultiViewEncoder } from './view-encoders';
import type { ViewSpec } from './view-specs';

/** A user's transform that lies about its shape (declares [H, W, 1], yields [B, H, W, 2]) or yields nothing. */
const badView = defineComponent<'view', { yields: 'wrong' | 'empty' }>({
  kind: 'view', name: 'bad-test', description: 'Test: a broken transform.',
  schema: { type: 'object', properties: { yields: { enum: ['wrong', 'empty'], default: 'wrong' } }, additionalProperties: false },
  create: (o): ViewTransform => ({
    outputShape: ([h, w]) => [h, w, 1],
    apply: (x: Images) => (o.yields === 'wrong' ? tf.concat([x, x], 3) : tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 0])) as Images,
  }),
});

const slots = (augment: MethodSlots['augment'] = []): MethodSlots => ({
  encoder: { use: 'mlp', hidden: [8], embeddingDim: 4 }, positives: { use: 'two-views' }, negatives: { use: 'in-batch' },
  score: { use: 'cosine' }, loss: { use: 'infonce' }, augment,
});

function context(inputShape: [number, number, number], augment: MethodSlots['augment'] = []) {
  const registry = createRegistry();
  registry.register(badView, 'test');
  return createBuildContext(registry, { rng: new SeededRng(1), inputShape, baseDir: '.', slots: slots(augment) });
}

describe('view transforms', () => {
  beforeAll(useTestBackend);

  it('channels: picks the listed channels in order', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]);
    const v = new ChannelsView([2, 0]).apply(x);
    expect(v.arraySync()).toEqual([[[[3, 1], [6, 4]]]]);
    expect(() => new ChannelsView([0, 3]).outputShape([4, 4, 3])).toThrow('channels 3 do not exist: the input has 3 channel(s), numbered 0 to 2');
    tf.dispose([x, v]);
  });

  it('gradient-magnitude: Sobel magnitude / 4√2 of a vertical step edge, hand-computed', () => {
    // 3x4 image, columns 0 0 1 1: at the middle columns gx = 1 + 2 + 1 = 4 on the middle row
    // (zero padding changes the border rows: 1 + 2 = 3), gy = 0 there.
    const x = tf.tensor4d([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1], [1, 3, 4, 1]);
    const g = new GradientMagnitudeView().apply(x);
    const row1 = Array.from(g.dataSync()).slice(4, 8).map((v) => v * 4 * Math.SQRT2);
    // columns: 0 (gx = 0 - 0 = 0), 1 (gx = 4), 2 (gx = 4), 3 (gx = 0 - 4·1 = -4 from the zero padding)
    expectClose(row1, [0, 4, 4, 4], 1e-4);
    tf.dispose([x, g]);
  });

  it('region: complementary halves share no pixel', () => {
    const x = tf.range(0, 16).reshape([1, 4, 4, 1]) as tf.Tensor4D;
    const top = new RegionView([0, 0, 0.5, 1]);
    const bottom = new RegionView([0.5, 0, 1, 1]);
    expect(top.outputShape([4, 4, 1])).toEqual([2, 4, 1]);
    expect(Array.from(top.apply(x).dataSync())).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(bottom.apply(x).dataSync())).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
    expect(() => new RegionView([0.5, 0, 0.5, 1]).outputShape([4, 4, 1])).toThrow(/is empty/);
    x.dispose();
  });
});

describe('buildViewSet', () => {
  beforeAll(useTestBackend);
  const rgb: [number, number, number] = [6, 6, 3];
  const lab: ViewSpec[] = [{ name: 'L', transform: { use: 'lab-l' } }, { name: 'ab', transform: { use: 'lab-ab' } }];

  it('makes named views with their own channels, sharing one augmentation draw', () => {
    const views = buildViewSet(lab, context(rgb, [{ use: 'flip', p: 0.5 }]));
    expect(views.names).toEqual(['L', 'ab']);
    expect(views.views.map((v) => v.shape)).toEqual([[6, 6, 1], [6, 6, 2]]);
    const x = tf.randomUniform([8, ...rgb], 0, 1, 'float32', 3) as tf.Tensor4D;
    const out = views.sample(x, new SeededRng(5));
    // The same flip draw for both: recombined, L and ab are the Lab of one flipped batch.
    const again = buildViewSet([{ name: 'L', transform: { use: 'lab-l' } }, { name: 'L2', transform: { use: 'lab-l' } }], context(rgb, [{ use: 'flip', p: 0.5 }]))
      .sample(x, new SeededRng(5));
    expectClose(again.L.arraySync(), again.L2.arraySync(), 0);
    expectClose(out.L.arraySync(), again.L.arraySync(), 0);
    tf.dispose([x, ...Object.values(out), ...Object.values(again)]);
  });

  it('gives a view with its own augmentations its own draw', () => {
    const own = [{ use: 'random-resized-crop', scale: [0.2, 0.5] }];
    const views = buildViewSet([{ name: 'a', transform: { use: 'image' }, augment: own }, { name: 'b', transform: { use: 'image' }, augment: own }], context([8, 8, 1]));
    const x = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
    const out = views.sample(x, new SeededRng(6));
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(out.a, out.b))).dataSync()[0])).toBeGreaterThan(0.01);
    expect(leakedTensors(() => tf.dispose(Object.values(views.sample(x, new SeededRng(6)))))).toBe(0);
    tf.dispose([x, ...Object.values(out)]);
  });

  it.each([
    ['one view', [{ name: 'L', transform: { use: 'lab-l' } }], rgb, 'method.views: contrast needs at least two views; got 1'],
    ['a transform that cannot take the input', lab, [6, 6, 1], 'method.views[0] (view "L"): lab-l cannot make a view of [6, 6, 1] images: view "lab-l" converts sRGB'],
    ['a wrongly shaped view', [{ name: 'a', transform: { use: 'image' } }, { name: 'b', transform: { use: 'bad-test' } }], rgb,
      'method.views[1] (view "b"): transform "bad-test" yields a tensor [2, 6, 6, 6] for a batch [2, 6, 6, 3]; expected [2, 6, 6, 1]'],
    ['an empty view', [{ name: 'a', transform: { use: 'image' } }, { name: 'b', transform: { use: 'bad-test', yields: 'empty' } }], rgb,
      'method.views[1] (view "b"): transform "bad-test" yields an empty tensor [2, 6, 6, 0]'],
    ['a channel split that does not cover the input', [{ name: 'r', transform: { use: 'channels', indices: [0] } }, { name: 'g', transform: { use: 'channels', indices: [1] } }], rgb,
      'method.views: the channel split covers channels 0, 1 of the 3-channel input; channel(s) 2 are in no view'],
  ] as [string, ViewSpec[], [number, number, number], string][])('refuses %s with a UserInputError naming the path', (_label, specs, shape, message) => {
    const build = () => buildViewSet(specs, context(shape));
    expect(build).toThrow(UserInputError);
    expect(build).toThrow(message);
  });
});

describe('per-view encoders', () => {
  beforeAll(useTestBackend);

  it('builds one encoder per view for its shape, under view-<name>/, and concatenates them for evaluation', () => {
    const ctx = context([4, 4, 3]);
    const views = buildViewSet([{ name: 'L', transform: { use: 'lab-l' } }, { name: 'ab', transform: { use: 'lab-ab' } }], ctx);
    const encoders = buildViewEncoders(views, { ab: { use: 'mlp', hidden: [8], embeddingDim: 6 } }, ctx);
    const multi = new MultiViewEncoder(views, encoders);
    expect(multi.embeddingDim).toBe(4 + 6);
    const names = [...multi.namedVariables().keys()];
    expect(names.filter((n) => n.startsWith('view-L/encoder/'))).not.toHaveLength(0);
    expect(names.filter((n) => n.startsWith('view-ab/encoder/'))).not.toHaveLength(0);
    expect(names.every((n) => n.startsWith('view-L/') || n.startsWith('view-ab/'))).toBe(true);
    // The first layers read 1 and 2 channels: 4*4*1 and 4*4*2 inputs.
    const firstKernel = (p: string) => multi.namedVariables().get(names.find((n) => n.startsWith(p))!)!.shape;
    expect(firstKernel('view-L/')[0]).toBe(16);
    expect(firstKernel('view-ab/')[0]).toBe(32);
    const x = tf.randomUniform([3, 4, 4, 3]) as tf.Tensor4D;
    const all = multi.encode(x, { training: false }).global;
    const l = multi.represent(x, 'L');
    const ab = multi.represent(x, 'ab');
    expect(all.shape).toEqual([3, 10]);
    expectClose(all.arraySync(), tf.concat([l, ab], 1).arraySync(), 1e-6);
    expect(() => buildViewEncoders(views, { depth: { use: 'mlp' } }, ctx)).toThrow('method.encoders.depth: no view is named "depth"; views: L, ab');
    tf.dispose([x, all, l, ab]);
    multi.dispose();
  });
});
