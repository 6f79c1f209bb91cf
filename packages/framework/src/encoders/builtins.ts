import type { ComponentDefinition } from '../registry/component-definition';
import { convNetEncoderDefinition } from './convnet';
import { mlpEncoderDefinition } from './mlp';
import { resNetMiniEncoderDefinition } from './resnet-mini';

/** The built-in encoders (kind `encoder`): `mlp`, `convnet`, `resnet-mini`. */
export const builtinEncoders: ComponentDefinition[] = [
  mlpEncoderDefinition,
  convNetEncoderDefinition,
  resNetMiniEncoderDefinition,
];
