import * as tf from '@tensorflow/tfjs';
import {
  createBuildContext, createRegistry, resolveMethodSlots, SeededRng, validateComponentOptions,
  type Method, type Optimizer, type Registry, type StepContext,
} from '@contrastive/framework';
import amdimPlugin from '../index';

let shared: Registry | null = null;

/** The framework's built-ins and this plugin, registered as the loader would. */
export function amdimTestRegistry(): Registry {
  const registry = createRegistry();
  registry.transaction(amdimPlugin.name, (api) => amdimPlugin.register(api));
  return registry;
}

/**
 * Builds the method of a config (`method`, slots) for images of `inputShape`, validating and
 * defaulting every spec as runTraining does.
 */
export function buildMethod<M extends Method = Method>(raw: Record<string, unknown>, inputShape: [number, number, number], seed = 1): M {
  const registry = (shared ??= amdimTestRegistry());
  const config = raw as Parameters<typeof resolveMethodSlots>[0];
  const slots = resolveMethodSlots(config, registry);
  const method = validateComponentOptions(registry, 'method', config.method, 'method');
  const ctx = createBuildContext(registry, { rng: new SeededRng(seed), inputShape, baseDir: process.cwd(), slots });
  return ctx.build('method', method) as M;
}

/** An optimizer from the registry, e.g. `{ use: 'adam', lr: 0.001 }`. */
export function buildOptimizer(spec: { use: string; [option: string]: unknown }): Optimizer {
  const registry = (shared ??= amdimTestRegistry());
  const slots = { encoder: { use: 'convnet' }, positives: { use: 'two-views' }, negatives: { use: 'in-batch' }, score: { use: 'dot' }, loss: { use: 'infonce' }, augment: [] };
  return createBuildContext(registry, { rng: new SeededRng(0), inputShape: [1, 1, 1], baseDir: process.cwd(), slots }).build('optimizer', spec);
}

/** One training step as the framework's Trainer runs it: loss and gradients, update, afterStep. */
export function trainStep(method: Method, optimizer: Optimizer, x: tf.Tensor4D, ctx: StepContext, lr = 0.01): number {
  const variables = method.trainableVariables();
  const { value, grads } = tf.variableGrads(() => method.loss(x, ctx).loss, variables);
  const loss = value.dataSync()[0];
  value.dispose();
  const withGrads = variables.filter((v) => grads[v.name]);
  optimizer.apply(withGrads, withGrads.map((v) => grads[v.name]), lr);
  tf.dispose(Object.values(grads));
  method.afterStep?.(ctx);
  return loss;
}
