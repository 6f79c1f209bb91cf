/**
 * Linear warm-up factor: `(step + 1) / warmupSteps` for `step < warmupSteps`, else 1.
 * The ramp is the line from 0 (at step −1) to 1 (at step warmupSteps − 1), so the first
 * step already gets 1/warmupSteps rather than a wasted update at factor 0.
 */
export function warmupFactor(step: number, warmupSteps: number): number {
  if (warmupSteps <= 0 || step >= warmupSteps) return 1;
  return Math.max(0, step + 1) / warmupSteps;
}

/** Throws unless `warmupSteps` is an integer >= 0. `name` names the schedule. */
export function assertWarmupSteps(warmupSteps: number, name: string): void {
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) {
    throw new Error(`${name} schedule: warmupSteps must be an integer >= 0, got ${warmupSteps}`);
  }
}

/** JSON Schema of the `warmupSteps` option shared by the built-in schedules. */
export const WARMUP_STEPS_SCHEMA = {
  type: 'integer',
  minimum: 0,
  default: 0,
  description: 'Steps of linear warm-up; step s < warmupSteps gets factor (s+1)/warmupSteps.',
} as const;
