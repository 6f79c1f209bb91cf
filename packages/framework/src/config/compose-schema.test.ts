import Ajv from 'ajv';
import { fakeRegistry } from '../../test/fixtures/configs/fake-registry';
import { defineComponent, Registry } from '../registry';
import { COMPONENT_PLACES, composeConfigSchema } from './compose-schema';

describe('composeConfigSchema', () => {
  const registry = fakeRegistry();
  const schema = composeConfigSchema(registry) as any;

  it('is a JSON Schema that ajv compiles (in strict mode too, given the discriminator)', () => {
    expect(() => new Ajv({ discriminator: true, strict: false }).compile(schema)).not.toThrow();
    expect(() => new Ajv({ discriminator: true, strict: true, allowUnionTypes: true }).compile(schema)).not.toThrow();
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('lists every registered component under its place, as a discriminated oneOf', () => {
    for (const place of COMPONENT_PLACES) {
      let node = schema;
      for (const key of place.path) node = key === 'train' ? node.properties.train : node.properties[key];
      if (place.many) node = node.items;
      expect(node.discriminator).toEqual({ propertyName: 'use' });
      expect(node.oneOf.map((b: any) => b.properties.use.const)).toEqual(registry.names(place.kind));
      expect(node.description).toContain(registry.names(place.kind).join(', '));
    }
  });

  it('turns each component schema into a closed branch with use required, title and description', () => {
    const sgd = schema.properties.train.properties.optimizer.oneOf.find((b: any) => b.title === 'sgd');
    expect(sgd).toMatchObject({
      type: 'object', title: 'sgd', description: 'fake optimizer sgd', additionalProperties: false,
      required: ['use', 'lr'],
      properties: { use: { const: 'sgd' }, lr: { type: 'number' }, momentum: { default: 0 } },
    });
    expect(schema.title).toBeDefined();
    expect(schema.properties.seed.description).toBeDefined();
    expect(schema.additionalProperties).toBe(false);
  });

  it('names the package that registered a plugin component', () => {
    const reg = new Registry();
    reg.transaction('@x/plugin', (api) => api.register(defineComponent({
      kind: 'score', name: 'odd', description: 'An odd score.', schema: { type: 'object', properties: {} },
      create: () => ({ score: (a) => a }),
    })));
    const branch = (composeConfigSchema(reg) as any).properties.score.oneOf[0];
    expect(branch.description).toBe('An odd score. (from @x/plugin)');
  });

  it('still compiles with no components registered', () => {
    const empty = composeConfigSchema(new Registry());
    expect(() => new Ajv({ discriminator: true, strict: false }).compile(empty)).not.toThrow();
  });
});
