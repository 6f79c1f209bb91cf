import type { Schedule } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { assertWarmupSteps, WARMUP_STEPS_SCHEMA, warmupFactor } from './warmup';

/** Options of the `constant` schedule. */
export interface ConstantScheduleOptions {
  /** Steps of linear warm-up before the factor reaches 1. Default 0. */
  warmupSteps: number;
}

/**
 * A constant learning rate, after an optional linear warm-up. `lr(step, totalSteps)`
 * returns the FACTOR applied to the optimizer's base lr (its `lr` option), not a learning
 * rate: `(step + 1) / warmupSteps` during warm-up (see `warmupFactor`), then 1.
 */
export class ConstantSchedule implements Schedule {
  constructor(readonly warmupSteps = 0) {
    assertWarmupSteps(warmupSteps, 'constant');
  }

  /** Factor in (0, 1] applied to the optimizer's lr at `step` (0-based). */
  lr(step: number, _totalSteps: number): number {
    return warmupFactor(step, this.warmupSteps);
  }
}

/** Component definition of the `constant` schedule (kind `schedule`). */
export const constantScheduleDefinition = defineComponent<'schedule', ConstantScheduleOptions>({
  kind: 'schedule',
  name: 'constant',
  description: 'Constant factor 1 on the optimizer lr, after an optional linear warm-up.',
  schema: {
    type: 'object',
    properties: { warmupSteps: WARMUP_STEPS_SCHEMA },
    additionalProperties: false,
  },
  create: (options) => new ConstantSchedule(options.warmupSteps),
});
