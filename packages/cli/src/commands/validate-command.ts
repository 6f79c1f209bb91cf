import * as path from 'path';
import { prepareRun } from '@contrastive/framework';
import { resolveEvalOptions } from '@contrastive/eval';
import { type CliIo, EXIT, println } from '../io';

/** `contrastive validate <config>`: checks everything that can be checked without training. */
export async function validateCommand(args: { config: string; set: string[]; json: boolean }, io: CliIo): Promise<number> {
  const run = prepareRun({ configPath: path.resolve(io.cwd, args.config), sets: args.set });
  resolveEvalOptions(run.config.eval, { sourceMap: run.sourceMap });
  if (args.json) {
    println(io.stdout, JSON.stringify({ valid: true, config: run.config, slots: run.slots }));
  } else {
    const s = run.slots;
    println(io.stdout, `${args.config}: valid. method ${run.config.method.use} = encoder ${s.encoder.use}, ` +
      `positives ${s.positives.use}, negatives ${s.negatives.use}, score ${s.score.use}, loss ${s.loss.use}, ` +
      `augment [${s.augment.map((a) => a.use).join(', ')}]; data ${run.config.data.use}`);
  }
  return EXIT.ok;
}
