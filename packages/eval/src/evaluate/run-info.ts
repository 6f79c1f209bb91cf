import * as fs from 'fs';
import * as path from 'path';
import type { LocatedRun } from '../runs/run-locator';
import type { EvaluatedRunInfo } from './eval-report';

/** The training step a checkpoint was written at (its `state.json`). */
export function checkpointStep(checkpoint: string): number {
  const state = JSON.parse(fs.readFileSync(path.join(checkpoint, 'state.json'), 'utf8')) as { step?: number };
  return typeof state.step === 'number' ? state.step : 0;
}

/** Name, method, encoder and training budget of a run, from its resolved config. */
export function describeRun(run: LocatedRun, steps: number): EvaluatedRunInfo {
  const c = run.config as {
    name?: string; method?: { use?: string }; encoder?: { use?: string }; resolvedSlots?: { encoder?: { use?: string } };
    train?: { epochs?: number }; data?: { batchSize?: number }; tracking?: { experiment?: string };
  };
  return {
    name: c.name ?? path.basename(run.runDir),
    method: c.method?.use ?? 'unknown',
    encoder: c.resolvedSlots?.encoder?.use ?? c.encoder?.use ?? 'unknown',
    epochs: typeof c.train?.epochs === 'number' ? c.train.epochs : null,
    steps,
    batchSize: c.data?.batchSize ?? 0,
    experiment: c.tracking?.experiment ?? DEFAULT_EXPERIMENT,
  };
}

/** The experiment of a run whose config sets no `tracking.experiment` (as in MLflow's layout of this project). */
export const DEFAULT_EXPERIMENT = 'contrastive';
