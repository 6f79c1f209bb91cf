import type { ComponentDefinition } from '../registry/component-definition';
import { channelsView, imageView } from './channel-views';
import { gradientMagnitudeView } from './gradient-magnitude-view';
import { labAbView, labLView } from './lab-views';
import { regionView } from './region-view';

/** The view transforms the framework registers (kind `view`, API 1.4). */
export const builtinViews: ComponentDefinition[] = [
  imageView, channelsView, labLView, labAbView, gradientMagnitudeView, regionView,
] as ComponentDefinition[];
