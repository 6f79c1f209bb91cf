import type { ComponentDefinition } from '../registry/component-definition';
import { inBatchNegativesDefinition } from './in-batch-negatives';
import { twoViewsSamplerDefinition } from './two-views-sampler';

export const builtinSamplers: ComponentDefinition[] = [twoViewsSamplerDefinition, inBatchNegativesDefinition];
