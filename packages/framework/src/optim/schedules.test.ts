import * as fs from 'fs';
import * as path from 'path';
import { constantScheduleDefinition, ConstantSchedule } from './constant-schedule';
import { cosineFactor, cosineScheduleDefinition, CosineSchedule } from './cosine-schedule';

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../test/fixtures/optim-reference.json'), 'utf8'),
) as { cosineSchedule: { totalSteps: number; warmupSteps: number; minFactor: number; factors: number[] }[] };

describe('constant schedule', () => {
  it('is 1 at every step without warm-up', () => {
    const s = new ConstantSchedule();
    for (const step of [0, 1, 50, 999]) expect(s.lr(step, 1000)).toBe(1);
  });

  it('warms up linearly: (step + 1) / warmupSteps, then 1', () => {
    const s = new ConstantSchedule(4);
    expect([0, 1, 2, 3, 4, 100].map((k) => s.lr(k, 200))).toEqual([0.25, 0.5, 0.75, 1, 1, 1]);
  });

  it('rejects a negative or fractional warm-up', () => {
    expect(() => new ConstantSchedule(-1)).toThrow(/warmupSteps/);
    expect(() => new ConstantSchedule(1.5)).toThrow(/warmupSteps/);
  });
});

describe('cosine schedule', () => {
  it('matches the reference factors at every step', () => {
    for (const r of fixture.cosineSchedule) {
      const s = new CosineSchedule(r.warmupSteps, r.minFactor);
      r.factors.forEach((f, step) => expect(s.lr(step, r.totalSteps)).toBeCloseTo(f, 12));
    }
  });

  it('has the expected values at the key steps', () => {
    // W = 3, T = 10, f = 0: warm-up 1/3, 2/3, 1; then the cosine over steps 3..9 (span 6).
    const s = new CosineSchedule(3, 0);
    expect(s.lr(0, 10)).toBeCloseTo(1 / 3, 12); // warm-up start
    expect(s.lr(2, 10)).toBe(1); // end of warm-up
    expect(s.lr(3, 10)).toBe(1); // first decay step
    expect(s.lr(6, 10)).toBeCloseTo(0.5, 12); // mid-way: ½(1 + cos(π/2))
    expect(s.lr(9, 10)).toBeCloseTo(0, 12); // last step
    expect(s.lr(50, 10)).toBeCloseTo(0, 12); // past the end: clamped
    // With a floor: T = 101, W = 10, f = 0.1 → mid-way (step 55) = (1 + 0.1)/2, last = 0.1.
    const floor = new CosineSchedule(10, 0.1);
    expect(floor.lr(55, 101)).toBeCloseTo(0.55, 12);
    expect(floor.lr(100, 101)).toBeCloseTo(0.1, 12);
  });

  it('decreases monotonically after the warm-up', () => {
    let previous = Infinity;
    for (let step = 5; step < 60; step++) {
      const f = cosineFactor(step, 60, 5, 0.2);
      expect(f).toBeLessThanOrEqual(previous);
      previous = f;
    }
  });

  it('stays at 1 when no step follows the warm-up', () => {
    expect(new CosineSchedule(0, 0).lr(0, 1)).toBe(1);
    expect(new CosineSchedule(5, 0).lr(5, 6)).toBe(1);
  });

  it('rejects a minFactor outside [0, 1]', () => {
    expect(() => new CosineSchedule(0, 1.5)).toThrow(/minFactor/);
  });
});

describe('schedule definitions', () => {
  it('build the schedules with their options', () => {
    expect(constantScheduleDefinition.create({ warmupSteps: 2 }, {} as never).lr(0, 10)).toBe(0.5);
    const cos = cosineScheduleDefinition.create({ warmupSteps: 0, minFactor: 0.5 }, {} as never);
    expect(cos.lr(9, 10)).toBeCloseTo(0.5, 12);
  });
});
