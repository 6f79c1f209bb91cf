import type { Schedule } from '../contracts';
import { defineComponent } from '../registry/component-definition';
import { assertWarmupSteps, WARMUP_STEPS_SCHEMA, warmupFactor } from './warmup';

/** Options of the `cosine` schedule. */
export interface CosineScheduleOptions {
  /** Steps of linear warm-up before the decay. Default 0. */
  warmupSteps: number;
  /** Factor reached at the last step, in [0, 1]. Default 0. */
  minFactor: number;
}

/**
 * Warm-up then half-cosine decay (as in SGDR, Loshchilov & Hutter, arXiv:1608.03983,
 * without restarts). With W = warmupSteps, T = totalSteps and f = minFactor:
 *
 * - step < W: `(step + 1) / W` (linear from 1/W to 1);
 * - W ≤ step: `f + (1 − f) · ½(1 + cos(π · p))`, p = (step − W) / (T − 1 − W) clamped to
 *   [0, 1]: 1 at step W, (1 + f)/2 half-way, f at the last step T − 1 (and after).
 *
 * When no step follows the first post-warm-up step (T − 1 ≤ W) the factor stays 1.
 */
export function cosineFactor(step: number, totalSteps: number, warmupSteps: number, minFactor: number): number {
  if (step < warmupSteps) return warmupFactor(step, warmupSteps);
  const span = totalSteps - 1 - warmupSteps;
  if (span <= 0) return 1;
  const p = Math.min(1, Math.max(0, (step - warmupSteps) / span));
  return minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * p));
}

/**
 * The `cosine` schedule. `lr(step, totalSteps)` returns the FACTOR applied to the
 * optimizer's base lr (its `lr` option), not a learning rate; see {@link cosineFactor}.
 */
export class CosineSchedule implements Schedule {
  constructor(readonly warmupSteps = 0, readonly minFactor = 0) {
    assertWarmupSteps(warmupSteps, 'cosine');
    if (!(minFactor >= 0 && minFactor <= 1)) throw new Error(`cosine schedule: minFactor must be in [0, 1], got ${minFactor}`);
  }

  /** Factor in [minFactor, 1] applied to the optimizer's lr at `step` (0-based). */
  lr(step: number, totalSteps: number): number {
    return cosineFactor(step, totalSteps, this.warmupSteps, this.minFactor);
  }
}

/** Component definition of the `cosine` schedule (kind `schedule`). */
export const cosineScheduleDefinition = defineComponent<'schedule', CosineScheduleOptions>({
  kind: 'schedule',
  name: 'cosine',
  description: 'Linear warm-up, then half-cosine decay of the lr factor from 1 to minFactor at the last step.',
  schema: {
    type: 'object',
    properties: {
      warmupSteps: WARMUP_STEPS_SCHEMA,
      minFactor: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'Factor at the last step.' },
    },
    additionalProperties: false,
  },
  create: (options) => new CosineSchedule(options.warmupSteps, options.minFactor),
});
