import type { ComponentDefinition } from '../registry/component-definition';
import { inBatchNegativesDefinition } from './in-batch-negatives';
import { memoryBankNegativesDefinition } from './memory-bank-definition';
import { twoViewsSamplerDefinition } from './two-views-sampler';
import { viewPairSamplerDefinition } from './view-pair-sampler';

export const builtinSamplers: ComponentDefinition[] = [twoViewsSamplerDefinition, inBatchNegativesDefinition, memoryBankNegativesDefinition as ComponentDefinition,
  viewPairSamplerDefinition as ComponentDefinition];
