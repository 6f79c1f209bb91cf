import type { ComponentDefinition } from '../registry/component-definition';
import { adamOptimizerDefinition } from './adam-optimizer';
import { constantScheduleDefinition } from './constant-schedule';
import { cosineScheduleDefinition } from './cosine-schedule';
import { sgdOptimizerDefinition } from './sgd-optimizer';

/** The built-in optimizers (kind `optimizer`): `sgd`, `adam`. */
export const builtinOptimizers: ComponentDefinition[] = [sgdOptimizerDefinition, adamOptimizerDefinition];

/** The built-in learning-rate schedules (kind `schedule`): `constant`, `cosine`. */
export const builtinSchedules: ComponentDefinition[] = [constantScheduleDefinition, cosineScheduleDefinition];
