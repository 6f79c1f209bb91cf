import type { ComponentDefinition } from '../registry/component-definition';
import { identityHeadDefinition } from './identity-head';
import { mlpHeadDefinition } from './mlp-head';

/** The built-in projection heads (kind `head`): `none`, `mlp` (`hiddenDims: []` is linear). */
export const builtinHeads: ComponentDefinition[] = [identityHeadDefinition, mlpHeadDefinition];
