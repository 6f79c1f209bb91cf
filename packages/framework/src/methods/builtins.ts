import type { ComponentDefinition } from '../registry/component-definition';
import { infonceMethodDefinition } from './infonce-method';

export const builtinMethods: ComponentDefinition[] = [infonceMethodDefinition];
