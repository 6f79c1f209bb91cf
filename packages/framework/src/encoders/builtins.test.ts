import * as tf from '@tensorflow/tfjs';
import Ajv from 'ajv';
import type { Encoder } from '../contracts';
import type { BuildContext, ComponentDefinition, JsonSchema } from '../registry/component-definition';
import { Registry } from '../registry/registry';
import { useTestBackend } from '../test-helpers';
import { SeededRng } from '../util/rng';
import { builtinEncoders } from './builtins';

beforeAll(async () => {
  await useTestBackend();
});

const byName = (name: string) => builtinEncoders.find((d) => d.name === name)!;
/** The component schema as the config composes it: plus `use`. */
const withUse = (def: ComponentDefinition): JsonSchema => ({
  ...def.schema,
  properties: { use: { const: def.name }, ...(def.schema.properties as object) },
});
const validate = (def: ComponentDefinition, options: Record<string, unknown>) => {
  const check = new Ajv({ useDefaults: true, allErrors: true }).compile(withUse(def));
  const copy = { use: def.name, ...options };
  return { ok: check(copy), value: copy };
};
const ctx = (seed: number, inputShape: [number, number, number], modality: 'image' | 'sequence' = 'image'): BuildContext => ({
  rng: new SeededRng(seed),
  inputShape,
  modality,
  baseDir: '.',
  slots: {} as BuildContext['slots'],
  build: () => {
    throw new Error('encoders build nothing nested');
  },
});

test('mlp, convnet and resnet-mini register as encoders', () => {
  const registry = new Registry();
  builtinEncoders.forEach((d) => registry.register(d));
  expect(registry.names('encoder')).toEqual(['conv1d', 'convnet', 'mlp', 'resnet-mini']);
});

describe.each(builtinEncoders.map((d) => [d.name, d] as const))('%s schema', (_, def) => {
  test('closed, and every property has a default and bounds', () => {
    expect(def.kind).toBe('encoder');
    expect(def.schema.additionalProperties).toBe(false);
    for (const [key, prop] of Object.entries(def.schema.properties as Record<string, Record<string, unknown>>)) {
      expect(`${key}: ${'default' in prop}`).toBe(`${key}: true`);
      const bounded =
        prop.type === 'boolean' ? true
        : prop.type === 'array'
          ? 'maxItems' in prop && 'minimum' in (prop.items as object) && 'maximum' in (prop.items as object)
          : 'minimum' in prop && 'maximum' in prop;
      expect(`${key}: ${bounded}`).toBe(`${key}: true`);
    }
  });

  test('defaults fill in; unknown or out-of-range options are rejected', () => {
    const { ok, value } = validate(def, {});
    expect(ok).toBe(true);
    expect(value).toMatchObject({ embeddingDim: 128 });
    expect(validate(def, { colour: 'red' }).ok).toBe(false);
    expect(validate(def, { embeddingDim: 0 }).ok).toBe(false);
    expect(validate(def, { embeddingDim: 1.5 }).ok).toBe(false);
  });

  test('create takes the input shape from the context and seeds from ctx.rng.fork()', () => {
    const { value } = validate(def, { embeddingDim: 8 });
    // A sequence encoder (conv1d) is built for [T, D, 1] = [32, 32, 1] and takes [B, 32, 32].
    const modality = def.modalities?.includes('sequence') ? 'sequence' : 'image';
    const shape: [number, number, number] = modality === 'sequence' ? [32, 32, 1] : [32, 32, 3];
    const c1 = ctx(11, shape, modality);
    const state = c1.rng.getState();
    const build = (c: BuildContext) => def.create(value, c) as Encoder;
    const a = build(c1);
    expect(c1.rng.getState()).not.toEqual(state); // forked
    const b = build(ctx(11, shape, modality));
    const d = build(ctx(12, shape, modality));
    const first = (e: Encoder) => Array.from([...e.namedVariables().values()][0].dataSync());
    expect(first(b)).toEqual(first(a));
    expect(first(d)).not.toEqual(first(a));
    expect(a.embeddingDim).toBe(8);
    const x = modality === 'sequence' ? tf.zeros([2, 32, 32]) as tf.Tensor3D : tf.zeros([2, 32, 32, 3]) as tf.Tensor4D; // the context's shape
    const out = a.encode(x, { training: false });
    expect(out.global.shape).toEqual([2, 8]);
    tf.dispose([x, out.global]);
    [a, b, d].forEach((e) => e.dispose());
  });
});

test('schema defaults are the documented ones', () => {
  expect(validate(byName('mlp'), {}).value).toEqual({ use: 'mlp', hidden: [256], embeddingDim: 128 });
  expect(validate(byName('convnet'), {}).value).toEqual({
    use: 'convnet', channels: [32, 64, 128], embeddingDim: 128, batchNorm: false, stride1Convs: 0, projection: true,
  });
  expect(validate(byName('resnet-mini'), {}).value).toEqual({
    use: 'resnet-mini', stemWidth: 32, widths: [32, 64, 128], blocksPerStage: 1, embeddingDim: 128,
  });
  expect(validate(byName('convnet'), { channels: [] }).ok).toBe(false);
  expect(validate(byName('resnet-mini'), { widths: [32, 0] }).ok).toBe(false);
  expect(validate(byName('mlp'), { hidden: [] }).ok).toBe(true);
});
