import * as os from 'os';
import { type BackendChoice, type BackendReport, selectBackend } from '@contrastive/framework';
import { type CliIo, EXIT, println } from '../io';

/** Environment variables that change which backend runs or how fast. */
const RELEVANT_ENV = [
  'CONTRASTIVE_THREADS', 'TF_NUM_INTRAOP_THREADS', 'TF_NUM_INTEROP_THREADS', 'TF_ENABLE_ONEDNN_OPTS', 'CUDA_VISIBLE_DEVICES',
] as const;

/** What `contrastive doctor --json` prints. */
export interface DoctorReport extends BackendReport {
  node: string;
  cores: number;
  env: Record<string, string>;
}

/**
 * `contrastive doctor [--backend <choice>] [--json]`: which compute backend a run would use
 * (same selection as `train`), TensorFlow's version and the thread count, and for every
 * other backend why it was or was not usable. An explicit `--backend` that is unusable
 * exits 2 with the reasons.
 */
export async function doctorCommand(args: { backend: string; json: boolean }, io: CliIo): Promise<number> {
  const report = await selectBackend(args.backend as BackendChoice, { probeAll: true });
  const env: Record<string, string> = {};
  for (const name of RELEVANT_ENV) if (process.env[name] !== undefined) env[name] = process.env[name]!;
  const full: DoctorReport = { ...report, node: process.version, cores: os.cpus().length, env };
  if (args.json) {
    println(io.stdout, JSON.stringify(full));
    return EXIT.ok;
  }
  const chosen = full.probes.find((p) => p.status === 'chosen')!;
  const tfVersion = full.tensorflowVersion ? `, TensorFlow ${full.tensorflowVersion}` : '';
  println(io.stdout, `backend: ${full.chosen} (${full.provider}${chosen.version ? ` ${chosen.version}` : ''}${tfVersion}, ` +
    `${full.threads} thread${full.threads === 1 ? '' : 's'} of ${full.cores} cores)`);
  for (const p of full.probes) {
    const label = p.status === 'chosen' ? 'chosen' : p.status.replace('-', ' ');
    println(io.stdout, `  ${p.provider.padEnd(14)} ${label.padEnd(13)} ${p.reason}`);
  }
  const set = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  println(io.stdout, `node ${full.node}; ${set.length ? set.join(' ') : 'no backend environment variables set'}`);
  return EXIT.ok;
}
