import { builtinAugmentations } from './augment';
import { builtinDataSources } from './data';
import { builtinEncoders } from './encoders';
import { builtinHeads } from './heads';
import { builtinLosses } from './losses';
import { builtinMethods } from './methods';
import { builtinEstimatorLosses, builtinEstimators } from './objectives';
import { builtinOptimizers, builtinSchedules } from './optim';
import { Registry } from './registry/registry';
import { builtinSamplers } from './samplers';
import { builtinScores } from './scores';
import { builtinViews } from './views';

/** The framework's own components: enough for the smallest config, with no plugin. */
export function builtinComponents() {
  return [
    ...builtinDataSources, ...builtinEncoders, ...builtinHeads, ...builtinAugmentations, ...builtinSamplers,
    ...builtinScores, ...builtinLosses, ...builtinMethods, ...builtinOptimizers, ...builtinSchedules,
    ...builtinEstimators, ...builtinEstimatorLosses,
    ...builtinViews,
  ];
}

/** A fresh registry holding the built-in components (plugins are added by the loader). */
export function createRegistry(): Registry {
  const registry = new Registry();
  registry.transaction('@contrastive/framework', (api) => builtinComponents().forEach((d) => api.register(d)));
  return registry;
}
