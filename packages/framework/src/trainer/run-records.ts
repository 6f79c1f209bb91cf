import { createHash } from 'crypto';
import { datasetValues, type Dataset, type TrackedDataset } from '../contracts';
import type { ResolvedConfig } from '../config';
import type { MethodSlots } from '../registry/component-definition';

/**
 * A short digest of a data set's contents (pixels, labels, shape): the same data gives the
 * same digest, so MLflow shows which runs trained on identical data.
 */
export function datasetDigest(dataset: Dataset): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ shape: dataset.shape, count: dataset.count, split: dataset.split }));
  const values = datasetValues(dataset);
  hash.update(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  hash.update(Buffer.from(dataset.labels.buffer, dataset.labels.byteOffset, dataset.labels.byteLength));
  return hash.digest('hex').slice(0, 16);
}

/** The training data as an MLflow dataset input. */
export function trainingDataset(config: ResolvedConfig, dataset: Dataset): TrackedDataset {
  const { batchSize: _batch, ...source } = config.data;
  return {
    name: `${dataset.name}-${dataset.split}`,
    digest: datasetDigest(dataset),
    source,
    profile: { num_rows: dataset.count, shape: dataset.shape, num_classes: dataset.numClasses },
    context: 'training',
  };
}

/** A Markdown summary of the run for MLflow's run description (`mlflow.note.content`). */
export function configSummary(config: ResolvedConfig, slots: MethodSlots, totalSteps: number, backend: string): string {
  const opts = (spec: { use: string } & Record<string, unknown>) => {
    const rest = Object.entries(spec).filter(([k]) => k !== 'use').map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    return rest.length > 0 ? `${spec.use} (${rest.join(', ')})` : spec.use;
  };
  const lines = [
    `**${config.name}**: method ${opts(config.method)} on ${opts(config.data)}, ${totalSteps} steps, seed ${config.seed}, backend ${backend}`,
    '',
    `- encoder: ${opts(slots.encoder)}`,
    `- positives: ${opts(slots.positives)}; negatives: ${opts(slots.negatives)}`,
    `- score: ${opts(slots.score)}; loss: ${opts(slots.loss)}; head: ${slots.head ? opts(slots.head) : 'none'}`,
    `- augment: ${slots.augment.map((a) => a.use).join(', ') || 'none'}`,
    `- optimizer: ${opts(config.train.optimizer)}; schedule: ${opts(config.train.schedule)}`,
  ];
  if (config.plugins.length > 0) lines.push(`- plugins: ${config.plugins.join(', ')}`);
  return lines.join('\n');
}
