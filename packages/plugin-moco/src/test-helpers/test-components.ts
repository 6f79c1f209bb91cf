import * as tf from '@tensorflow/tfjs';
import {
  createBuildContext, createRegistry, defineComponent, resolveMethodSlots, SeededRng, validateComponentOptions, VariableOwner, VariableStore,
  type Encoder, type EncoderOutput, type Images, type Method, type Optimizer, type Registry, type StepContext,
} from '@contrastive/framework';
import mocoPlugin from '../index';

/**
 * A linear encoder for exact-value tests: f(x) = flatten(x) @ W, W [H*W*C, dim] (zeros; tests
 * assign values). Variable `encoder/weight`.
 */
export class LinearTestEncoder extends VariableOwner implements Encoder {
  readonly featureNames: readonly string[] = [];
  readonly weight: tf.Variable;

  constructor(readonly inputSize: number, readonly embeddingDim: number) {
    super(new VariableStore('encoder', { seed: () => 0 } as never));
    this.weight = this.store.add('weight', tf.zeros([inputSize, embeddingDim]), true);
  }

  encode(x: Images, _options: { training: boolean }): EncoderOutput {
    return { global: tf.tidy(() => tf.matMul(tf.reshape(x, [x.shape[0], this.inputSize]) as tf.Tensor2D, this.weight as tf.Tensor2D)), features: {} };
  }
}

/** `encoder: { use: linear-test, embeddingDim }` */
export const linearTestEncoder = defineComponent<'encoder', { embeddingDim: number }>({
  kind: 'encoder',
  name: 'linear-test',
  description: 'Test: flatten then one matrix, no bias, weights zero.',
  schema: { type: 'object', properties: { embeddingDim: { type: 'integer', minimum: 1, default: 3 } }, additionalProperties: false },
  create: (o, ctx) => new LinearTestEncoder(ctx.inputShape[0] * ctx.inputShape[1] * ctx.inputShape[2], o.embeddingDim),
});

/** `positives: { use: fixed-flip }`: anchor = x, positive = x mirrored left-right (no randomness). */
export const fixedFlipPositives = defineComponent<'positives', Record<string, never>>({
  kind: 'positives',
  name: 'fixed-flip',
  description: 'Test: the image and its mirror image.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => ({ sample: (x: Images) => ({ anchor: tf.clone(x), positive: tf.reverse(x, 2) as Images }) }),
});

/** The framework's built-ins, this plugin (registered as the loader would) and the test components. */
export function mocoTestRegistry(): Registry {
  const registry = createRegistry();
  registry.transaction(mocoPlugin.name, (api) => mocoPlugin.register(api));
  registry.register(linearTestEncoder, 'test');
  registry.register(fixedFlipPositives, 'test');
  return registry;
}

let shared: Registry | null = null;

/**
 * Builds the method of a config's `method` and slots for images of `inputShape`, with
 * {@link mocoTestRegistry}, validating and defaulting every spec as runTraining does (one
 * registry is shared so that compiled option validators are reused).
 */
export function buildMethod<M extends Method = Method>(
  raw: Record<string, unknown>, inputShape: [number, number, number], seed = 1, registry: Registry = (shared ??= mocoTestRegistry()),
): M {
  const config = raw as Parameters<typeof resolveMethodSlots>[0];
  const slots = resolveMethodSlots(config, registry);
  const method = validateComponentOptions(registry, 'method', config.method, 'method');
  const ctx = createBuildContext(registry, { rng: new SeededRng(seed), inputShape, baseDir: process.cwd(), slots });
  return ctx.build('method', method) as M;
}

/** One training step exactly as the framework's Trainer runs it: loss and gradients, update, afterStep. */
export function trainStep(method: Method, optimizer: Optimizer, x: tf.Tensor4D, ctx: StepContext, lr = 0.1): number {
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

/** An optimizer from the registry, e.g. `{ use: 'sgd', lr: 0.1 }`. */
export function buildOptimizer(spec: { use: string; [option: string]: unknown }): Optimizer {
  const registry = (shared ??= mocoTestRegistry());
  const slots = { encoder: { use: 'convnet' }, positives: { use: 'two-views' }, negatives: { use: 'in-batch' }, score: { use: 'dot' }, loss: { use: 'infonce' }, augment: [] };
  return createBuildContext(registry, { rng: new SeededRng(0), inputShape: [1, 1, 1], baseDir: process.cwd(), slots }).build('optimizer', spec);
}
