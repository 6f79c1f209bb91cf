import * as tf from '@tensorflow/tfjs';
import {
  createBuildContext, loadCheckpoint, prepareRun, restoreVariables, SeededRng, type DataSource, type Method, type Modality,
  type PreparedRun,
} from '@contrastive/framework';

/**
 * Validates a run's resolved config again (loading its plugins) so its parts can be rebuilt.
 * `resolvedSlots`, which runTraining adds next to the config, is not part of the schema.
 *
 * @param baseDir where relative paths in the config (an image folder) resolve
 */
export function prepareFromResolvedConfig(config: Record<string, unknown>, baseDir: string): PreparedRun {
  const { resolvedSlots: _slots, trainingExamples: _count, ...raw } = config;
  return prepareRun({ raw, baseDir });
}

/**
 * The run's data source, built as the trainer builds it (first fork of the run's RNG), with
 * `overrides` merged into the `data` block (e.g. `{ limit: 10000 }`).
 */
export function rebuildDataSource(prepared: PreparedRun, overrides: Record<string, unknown> = {}): DataSource {
  const rng = new SeededRng(prepared.config.seed);
  const ctx = createBuildContext(prepared.registry, { rng: rng.fork(), inputShape: [0, 0, 0], baseDir: prepared.baseDir, slots: prepared.slots });
  return ctx.build('data', { ...prepared.config.data, ...overrides });
}

/**
 * The run's method (and so its encoder), built exactly as the trainer built it: the run's
 * RNG seeded with `seed`, its first fork spent on the data source, the second building the
 * model. Without a checkpoint this is the model at initialisation, the untrained baseline;
 * with one, every method variable takes the checkpoint's value.
 *
 * @param inputShape [H, W, C] of the training images ([T, D, 1] for sequences: `inputShapeOf(dataset)`)
 * @param checkpoint a `checkpoints/step-N/` folder, or null for the initial weights
 * @param trainingExamples the training split's size as the run saw it (`trainingExamples` of
 *   config.resolved.json), for parts sized by it such as a memory bank
 * @param modality the training data's modality (`modalityOf(dataset)`; default image)
 */
export function rebuildMethod(
  prepared: PreparedRun, inputShape: readonly [number, number, number], checkpoint: string | null, trainingExamples?: number,
  modality?: Modality,
): Method {
  const rng = new SeededRng(prepared.config.seed);
  rng.fork();
  const ctx = createBuildContext(prepared.registry, {
    rng: rng.fork(), inputShape, modality, baseDir: prepared.baseDir, slots: prepared.slots, trainingExamples,
  });
  const method = ctx.build('method', prepared.config.method);
  if (checkpoint) {
    const { tensors } = loadCheckpoint(checkpoint);
    try {
      restoreVariables(tensors, method.namedVariables(), checkpoint);
    } catch (err) {
      method.dispose();
      throw err;
    } finally {
      tf.dispose([...tensors.values()]);
    }
  }
  return method;
}
