import * as tf from '@tensorflow/tfjs';
import { createRegistry } from '../builtins';
import { resolveMethodSlots } from '../config';
import { UserInputError } from '../registry/errors';
import { createBuildContext } from '../trainer/build-context';
import { prepareRun } from '../trainer/prepare-run';
import { SeededRng } from '../util/rng';
import { expectClose, useTestBackend } from '../test-helpers';

const registry = createRegistry();
const augment = [{ use: 'random-resized-crop', scale: [0.3, 1] }, { use: 'flip' }];

function positives(spec: Record<string, unknown>, shape: [number, number, number]) {
  const slots = resolveMethodSlots({ method: { use: 'infonce' }, positives: spec, augment } as never, registry);
  return createBuildContext(registry, { rng: new SeededRng(1), inputShape: shape, baseDir: '.', slots }).build('positives', slots.positives);
}

describe('view-pair positives', () => {
  beforeAll(useTestBackend);

  it('with two image views is exactly two-views: the same draws give the same pairs', () => {
    const x = tf.randomUniform([6, 10, 10, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const a = positives({ use: 'two-views' }, [10, 10, 1]).sample(x, new SeededRng(7));
    const b = positives({ use: 'view-pair', anchor: { use: 'image' }, positive: { use: 'image' } }, [10, 10, 1]).sample(x, new SeededRng(7));
    expectClose(b.anchor.arraySync(), a.anchor.arraySync(), 0);
    expectClose(b.positive.arraySync(), a.positive.arraySync(), 0);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a.anchor, a.positive))).dataSync()[0])).toBeGreaterThan(0.01);
    tf.dispose([x, a.anchor, a.positive, b.anchor, b.positive]);
  });

  it('pairs an image with its gradient magnitude, through one encoder', () => {
    const x = tf.randomUniform([4, 10, 10, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const pair = positives({ use: 'view-pair', anchor: { use: 'image' }, positive: { use: 'gradient-magnitude' } }, [10, 10, 1]).sample(x, new SeededRng(1));
    expect(pair.anchor.shape).toEqual([4, 10, 10, 1]);
    expect(pair.positive.shape).toEqual([4, 10, 10, 1]);
    tf.dispose([x, pair.anchor, pair.positive]);
  });

  it('names the path of an invalid view before anything is built', () => {
    const prepare = () => prepareRun({
      raw: { data: { use: 'synthetic' }, positives: { use: 'view-pair', anchor: { use: 'image' }, positive: { use: 'channels', indices: [] } } },
    });
    expect(prepare).toThrow(UserInputError);
    expect(prepare).toThrow('positives.positive.indices: must have at least 1 item(s)');
  });

  it('refuses views of another shape than the input, which one encoder could not read', () => {
    const build = () => positives({ use: 'view-pair', anchor: { use: 'lab-l' }, positive: { use: 'lab-ab' } }, [8, 8, 3]);
    expect(build).toThrow(UserInputError);
    expect(build).toThrow('positives: one encoder reads both views, so both must have the input\'s shape [8, 8, 3]; got anchor [8, 8, 1], positive [8, 8, 2]');
  });
});
