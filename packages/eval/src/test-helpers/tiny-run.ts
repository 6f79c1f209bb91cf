import { runTraining, type TrainSummary } from '@contrastive/framework';

/** A small synthetic training config (16x16 images, 4 classes) writing runs under `outputDir`. */
export function tinyConfig(outputDir: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'tiny', seed: 5,
    data: { use: 'synthetic', batchSize: 64, numClasses: 4, height: 16, width: 16, trainCount: 400, testCount: 200, noise: 0.2 },
    encoder: { use: 'convnet', channels: [8, 16], embeddingDim: 16 },
    train: { steps: 15, optimizer: { use: 'adam', lr: 0.003 }, outputDir },
    // Run folders with the console tracker: these tests read its files (MLflow nesting is
    // tested through the CLI, packages/cli/src/eval-commands.test.ts).
    tracking: { uri: 'none' },
    ...overrides,
  };
}

/** Trains {@link tinyConfig} silently and returns its summary. */
export function trainTinyRun(outputDir: string, overrides: Record<string, unknown> = {}): Promise<TrainSummary> {
  return runTraining({ raw: tinyConfig(outputDir, overrides), silent: true, cwd: outputDir });
}

/** Eval options small enough for tests: short probes, a small plot. */
export const FAST_EVAL = {
  linearProbe: { epochs: 20, patience: 3 },
  knn: { k: 5 },
  labelEfficiency: { fractions: [0.1, 1] },
  plot: { maxPoints: 120, epochs: 30, width: 360, height: 240 },
};
