import * as fs from 'fs';
import * as path from 'path';
import type { DatasetInput, Run, RunInfo } from '../types';
import { LAYOUT, latestMetric, parseMetricLines, readKeyFiles, readYaml, statusFromCode } from './layout';

/** Reads a run folder of the file store: info, params, tags, latest metrics and dataset inputs. */
export function readRun(runDir: string, experimentDir: string): Run {
  const meta = readYaml<Record<string, unknown>>(path.join(runDir, LAYOUT.meta));
  const info: RunInfo = {
    run_id: String(meta.run_id ?? meta.run_uuid),
    experiment_id: String(meta.experiment_id),
    run_name: String(meta.run_name ?? ''),
    user_id: String(meta.user_id ?? ''),
    status: statusFromCode(meta.status),
    start_time: Number(meta.start_time ?? 0),
    end_time: meta.end_time === null || meta.end_time === undefined ? null : Number(meta.end_time),
    artifact_uri: String(meta.artifact_uri ?? ''),
    lifecycle_stage: meta.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
  };
  const metrics = Object.entries(readKeyFiles(path.join(runDir, LAYOUT.metrics)))
    .map(([key, text]) => latestMetric(parseMetricLines(key, text)))
    .filter((m) => m !== undefined);
  const params = Object.entries(readKeyFiles(path.join(runDir, LAYOUT.params))).map(([key, value]) => ({ key, value }));
  const tags = Object.entries(readKeyFiles(path.join(runDir, LAYOUT.tags))).map(([key, value]) => ({ key, value }));
  return { info, data: { metrics, params, tags }, inputs: { dataset_inputs: readInputs(runDir, experimentDir) } };
}

function readInputs(runDir: string, experimentDir: string): DatasetInput[] {
  const inputsDir = path.join(runDir, LAYOUT.inputs);
  if (!fs.existsSync(inputsDir)) return [];
  const out: DatasetInput[] = [];
  for (const id of fs.readdirSync(inputsDir)) {
    const input = readYaml<{ source_type: string; source_id: string; tags?: Record<string, string> }>(path.join(inputsDir, id, LAYOUT.meta));
    const dsMeta = path.join(experimentDir, LAYOUT.datasets, input.source_id, LAYOUT.meta);
    if (input.source_type !== 'DATASET' || !fs.existsSync(dsMeta)) continue;
    out.push({
      dataset: readYaml(dsMeta) as unknown as DatasetInput['dataset'],
      tags: Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value })),
    });
  }
  return out;
}
