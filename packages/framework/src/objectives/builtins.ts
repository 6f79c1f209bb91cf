import type { ComponentDefinition } from '../registry/component-definition';
import { dvEstimatorDefinition } from './dv-estimator';
import { dvLossDefinition, jsdLossDefinition } from './estimator-loss';
import { infoNceEstimatorDefinition } from './infonce-estimator';
import { jsdEstimatorDefinition } from './jsd-estimator';
import { nceEstimatorDefinition } from './nce-estimator';

/** The built-in estimators (kind `estimator`): `infonce`, `jsd`, `dv`, `nce`. */
export const builtinEstimators: ComponentDefinition[] = [
  infoNceEstimatorDefinition, jsdEstimatorDefinition, dvEstimatorDefinition, nceEstimatorDefinition,
];

/** The estimators as losses over one positive column (kind `loss`): `jsd`, `dv`. */
export const builtinEstimatorLosses: ComponentDefinition[] = [jsdLossDefinition, dvLossDefinition];

/** Names of the built-in estimators, for option schemas that choose one (`enum`). */
export const BUILTIN_ESTIMATOR_NAMES = ['infonce', 'jsd', 'dv', 'nce'] as const;

/** One of {@link BUILTIN_ESTIMATOR_NAMES}. */
export type BuiltinEstimatorName = (typeof BUILTIN_ESTIMATOR_NAMES)[number];
