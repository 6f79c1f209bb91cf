import type { ComponentDefinition } from '../registry/component-definition';
import { bilinearScoreDefinition } from './bilinear-score';
import { cosineScoreDefinition } from './cosine-score';
import { dotScoreDefinition } from './dot-score';

/** The built-in score functions (kind `score`): `dot`, `cosine`, `bilinear`. */
export const builtinScores: ComponentDefinition[] = [
  dotScoreDefinition,
  cosineScoreDefinition,
  bilinearScoreDefinition,
];
