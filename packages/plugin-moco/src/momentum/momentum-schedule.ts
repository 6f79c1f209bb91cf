/** How the momentum m of a momentum encoder changes over training. */
export type MomentumScheduleKind = 'constant' | 'cosine';

/** A momentum and how it evolves. */
export interface MomentumSchedule {
  /** The base momentum m0 in [0, 1]. */
  momentum: number;
  /** `constant`: m0 at every step; `cosine`: from m0 up to 1 along a half cosine. */
  schedule: MomentumScheduleKind;
}

/**
 * The momentum used for the update after step `step` (0-based) of `totalSteps`.
 *
 * - constant: m0, MoCo v1/v2 (arXiv:1911.05722 uses 0.999; §4.1 shows 0.99-0.9999 work and
 *   that m = 0 fails to train).
 * - cosine: m = 1 - (1 - m0) (cos(pi step / totalSteps) + 1) / 2, rising from m0 at the first
 *   step towards 1 at the end, so the key encoder changes less and less (the schedule of
 *   BYOL, arXiv:2006.07733, also used by MoCo v3, arXiv:2104.02057).
 *
 * @throws Error for the cosine schedule without `totalSteps`
 */
export function momentumAt(s: MomentumSchedule, step: number, totalSteps?: number): number {
  if (s.schedule === 'constant') return s.momentum;
  if (!(totalSteps !== undefined && totalSteps > 0)) {
    throw new Error('momentum schedule "cosine" needs the run\'s total number of steps (StepContext.totalSteps)');
  }
  const progress = Math.min(Math.max(step / totalSteps, 0), 1);
  return 1 - (1 - s.momentum) * (Math.cos(Math.PI * progress) + 1) / 2;
}

/** JSON Schema properties `momentum` and `momentumSchedule`, shared by MoCo and `momentum-encoder`. */
export function momentumScheduleSchema(defaultMomentum: number): Record<string, unknown> {
  return {
    momentum: {
      type: 'number', minimum: 0, maximum: 1, default: defaultMomentum,
      description: 'm in theta_k <- m theta_k + (1 - m) theta_q, in [0, 1]; 1 freezes the key encoder, 0 copies the query encoder.',
    },
    momentumSchedule: {
      enum: ['constant', 'cosine'], default: 'constant',
      description: 'constant: m at every step; cosine: from m up to 1 along a half cosine over the run.',
    },
  };
}
