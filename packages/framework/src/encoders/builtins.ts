import type { ComponentDefinition } from '../registry/component-definition';
import { conv1dEncoderDefinition } from './conv1d-encoder';
import { convNetEncoderDefinition } from './convnet';
import { mlpEncoderDefinition } from './mlp';
import { resNetMiniEncoderDefinition } from './resnet-mini';

/** The built-in encoders (kind `encoder`): `mlp`, `convnet`, `resnet-mini` (images), `conv1d` (sequences). */
export const builtinEncoders: ComponentDefinition[] = [
  mlpEncoderDefinition,
  convNetEncoderDefinition,
  resNetMiniEncoderDefinition,
  conv1dEncoderDefinition,
] as ComponentDefinition[];
