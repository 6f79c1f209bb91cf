import Ajv from 'ajv';
import { Registry } from '../registry/registry';
import { builtinLosses } from '../losses/builtins';
import { builtinScores } from '../scores/builtins';
import { builtinOptimizers, builtinSchedules } from './builtins';

const all = [...builtinOptimizers, ...builtinSchedules, ...builtinScores, ...builtinLosses];

/** Validates `options` against the definition's schema, filling defaults like the config loader. */
function withDefaults(schema: Record<string, unknown>, options: Record<string, unknown>): Record<string, unknown> {
  const validate = new Ajv({ useDefaults: true, strict: true }).compile(schema);
  const copy = { ...options };
  if (!validate(copy)) throw new Error(JSON.stringify(validate.errors));
  return copy;
}

describe('built-in optimizers, schedules, scores and losses', () => {
  it('register in a registry under the expected kinds and names', () => {
    const registry = new Registry();
    for (const d of all) registry.register(d);
    expect(registry.names('optimizer')).toEqual(['adam', 'sgd']);
    expect(registry.names('schedule')).toEqual(['constant', 'cosine']);
    expect(registry.names('score')).toEqual(['bilinear', 'cosine', 'dot']);
    expect(registry.names('loss')).toEqual(['infonce', 'nce']);
  });

  it('have strict-valid schemas whose defaults match the brief', () => {
    const byName = (kind: string, name: string) => all.find((d) => d.kind === kind && d.name === name)!.schema;
    expect(withDefaults(byName('optimizer', 'sgd'), {})).toEqual({ lr: 0.1, momentum: 0.9, weightDecay: 0, nesterov: false });
    expect(withDefaults(byName('optimizer', 'adam'), {})).toEqual({ lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });
    expect(withDefaults(byName('schedule', 'constant'), {})).toEqual({ warmupSteps: 0 });
    expect(withDefaults(byName('schedule', 'cosine'), {})).toEqual({ warmupSteps: 0, minFactor: 0 });
    expect(withDefaults(byName('score', 'cosine'), {})).toEqual({ temperature: 0.1 });
    expect(withDefaults(byName('score', 'dot'), {})).toEqual({});
    expect(withDefaults(byName('score', 'bilinear'), {})).toEqual({});
    expect(withDefaults(byName('loss', 'infonce'), {})).toEqual({});
  });

  it('reject invalid options', () => {
    const schemaOf = (kind: string, name: string) => all.find((d) => d.kind === kind && d.name === name)!.schema;
    expect(() => withDefaults(schemaOf('optimizer', 'sgd'), { lr: 0 })).toThrow();
    expect(() => withDefaults(schemaOf('optimizer', 'adam'), { beta2: 1 })).toThrow();
    expect(() => withDefaults(schemaOf('schedule', 'cosine'), { warmupSteps: 1.5 })).toThrow();
    expect(() => withDefaults(schemaOf('score', 'cosine'), { temperature: 0 })).toThrow();
    expect(() => withDefaults(schemaOf('score', 'bilinear'), { dim: 0 })).toThrow();
    expect(() => withDefaults(schemaOf('loss', 'nce'), { extra: 1 })).toThrow();
  });
});
