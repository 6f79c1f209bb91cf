import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '@contrastive/framework';
import { balancedLabelSubset } from '../label-efficiency/balanced-label-subset';
import type { PlotSettings } from '../options/eval-options';
import { renderScatterPng } from './scatter-plot';
import { umapProjection } from './umap-projection';

/**
 * Draws the 2-D UMAP projection of test features coloured by class and writes it as PNG:
 * a class-balanced sample of at most `maxPoints` test examples (seeded), projected with
 * {@link umapProjection}, drawn by {@link renderScatterPng} with a legend of class names.
 *
 * @param features [M, D] features of every test example, aligned with `test.labels`
 * @param file where the PNG goes (folders are created)
 * @returns the number of points drawn
 */
export function writeEmbeddingPlot(
  features: tf.Tensor2D, test: Dataset, settings: PlotSettings, seed: number, file: string, title: string, subtitle: string,
): number {
  const fraction = Math.min(1, settings.maxPoints / test.count);
  const picked = balancedLabelSubset(test.labels, fraction, seed).slice(0, settings.maxPoints);
  const sample = tf.tidy(() => tf.gather(features, tf.tensor1d(picked, 'int32')));
  let points: Float32Array;
  try {
    points = umapProjection(sample, { neighbors: settings.neighbors, minDist: settings.minDist, epochs: settings.epochs, seed });
  } finally {
    sample.dispose();
  }
  const labels = Int32Array.from(picked, (i) => test.labels[i]);
  const numClasses = Math.max(test.numClasses, labels.reduce((m, l) => Math.max(m, l + 1), 0));
  const classNames = Array.from({ length: numClasses }, (_, i) => test.classNames?.[i] ?? `class ${i}`);
  const png = renderScatterPng({
    points, labels, classNames, title, subtitle: `${subtitle}, ${picked.length} points`, width: settings.width, height: settings.height, seed,
  });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, png);
  return picked.length;
}
