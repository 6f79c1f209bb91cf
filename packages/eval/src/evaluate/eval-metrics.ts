import { FEATURE_SET_PREFIX, fractionLabel, type FeatureSetName, type RepresentationScores } from './representation-scores';

/** Accuracy metrics of one feature set, without prefix: `linear.top1`, `knn.top1`, `label_1pct.top1`, ... */
export function accuracyMetrics(scores: RepresentationScores): Record<string, number> {
  const m: Record<string, number> = {};
  if (scores.linear) Object.assign(m, { 'linear.top1': scores.linear.top1, 'linear.top5': scores.linear.top5 });
  if (scores.knn) Object.assign(m, { 'knn.top1': scores.knn.top1, 'knn.top5': scores.knn.top5 });
  for (const le of scores.labelEfficiency) m[`label_${fractionLabel(le.fraction)}.top1`] = le.top1;
  return m;
}

/** Seconds spent on each part for one feature set: `time.features_s`, `time.linear_s`, `time.knn_s`, `time.label_efficiency_s`. */
export function timingMetrics(scores: RepresentationScores): Record<string, number> {
  const labelSeconds = scores.labelEfficiency.filter((l) => l.fraction !== 1 || !scores.linear).reduce((s, l) => s + l.seconds, 0);
  return {
    'time.features_s': scores.featureSeconds,
    ...(scores.linear ? { 'time.linear_s': scores.linear.seconds } : {}),
    ...(scores.knn ? { 'time.knn_s': scores.knn.seconds } : {}),
    ...(scores.labelEfficiency.length ? { 'time.label_efficiency_s': labelSeconds } : {}),
  };
}

/**
 * The flat metrics an eval run logs: the trained representation's accuracies unprefixed,
 * each baseline's under `untrained.` / `raw_pixels.`, the differences trained − baseline
 * under `delta_untrained.` / `delta_raw_pixels.`, and timings under `time.` (baselines'
 * under their prefix).
 */
export function evalMetrics(results: Partial<Record<FeatureSetName, RepresentationScores>>): Record<string, number> {
  const metrics: Record<string, number> = {};
  const trained = results.trained ? accuracyMetrics(results.trained) : {};
  for (const set of Object.keys(FEATURE_SET_PREFIX) as FeatureSetName[]) {
    const scores = results[set];
    if (!scores) continue;
    const prefix = FEATURE_SET_PREFIX[set];
    const acc = accuracyMetrics(scores);
    for (const [k, v] of Object.entries({ ...acc, ...timingMetrics(scores) })) metrics[`${prefix}${k}`] = v;
    if (set === 'trained') continue;
    const deltaPrefix = `delta_${prefix}`;
    for (const [k, v] of Object.entries(acc)) if (k in trained) metrics[`${deltaPrefix}${k}`] = trained[k] - v;
  }
  return metrics;
}
