import * as tf from '@tensorflow/tfjs';
import Ajv from 'ajv';
import { Registry } from '../registry/registry';
import { useTestBackend } from '../test-helpers/use-test-backend';
import { SeededRng } from '../util/rng';
import { builtinAugmentations } from './builtins';

beforeAll(useTestBackend);

describe('builtinAugmentations', () => {
  it('registers the six augmentations under kind augment', () => {
    const registry = new Registry();
    builtinAugmentations.forEach((d) => registry.register(d));
    expect(registry.names('augment')).toEqual(['color-jitter', 'cutout', 'flip', 'gaussian-noise', 'random-resized-crop', 'translate']);
  });

  it.each(builtinAugmentations.map((d) => [d.name, d] as const))('%s: strict schema with defaults builds a working augmentation', (_n, def) => {
    const ajv = new Ajv({ strict: true, useDefaults: true });
    const validate = ajv.compile(def.schema);
    const options: Record<string, unknown> = {};
    expect(validate(options)).toBe(true);
    expect(validate({ ...options, bogus: 1 })).toBe(false); // additionalProperties: false
    const aug = def.create(options, {} as never) as { apply(x: tf.Tensor4D, rng: SeededRng): tf.Tensor4D };
    const x = tf.fill([2, 28, 28, 1], 0.5) as tf.Tensor4D;
    const y = aug.apply(x, new SeededRng(0));
    expect(y.shape).toEqual([2, 28, 28, 1]);
    tf.dispose([x, y]);
  });

  it('has the documented defaults', () => {
    const ajv = new Ajv({ useDefaults: true });
    const defaults = Object.fromEntries(builtinAugmentations.map((d) => {
      const o = {};
      ajv.compile(d.schema)(o);
      return [d.name, o];
    }));
    expect(defaults).toEqual({
      'random-resized-crop': { scale: [0.2, 1], ratio: [0.75, 4 / 3] },
      flip: { p: 0.5 },
      translate: { maxShift: 4 },
      'gaussian-noise': { std: 0.05, p: 1 },
      'color-jitter': { brightness: 0.4, contrast: 0.4, p: 0.8 },
      cutout: { size: 8, p: 0.5 },
    });
  });
});
