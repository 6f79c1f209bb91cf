import type { ComponentDefinition } from '../registry/component-definition';
import { infoNceLossDefinition } from './infonce-loss';
import { nceLossDefinition } from './nce-loss';

/** The built-in contrastive losses (kind `loss`): `infonce`, `nce`. */
export const builtinLosses: ComponentDefinition[] = [infoNceLossDefinition, nceLossDefinition];
