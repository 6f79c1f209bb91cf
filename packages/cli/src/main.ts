import { Command, CommanderError, Option } from 'commander';
import { NonFiniteLossError, UserInputError } from '@contrastive/framework';
import { type CliIo, EXIT, println, processIo } from './io';
import { doctorCommand } from './commands/doctor-command';
import { evalCommand } from './commands/eval-command';
import { initCommand } from './commands/init-command';
import { addMlflowCommands } from './commands/mlflow-command';
import { pluginsCommand } from './commands/plugins-command';
import { reportCommand } from './commands/report-command';
import { schemaCommand } from './commands/schema-command';
import { trainCommand } from './commands/train-command';
import { validateCommand } from './commands/validate-command';

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * Runs the `contrastive` command with `argv` (without node and script) and returns the
 * exit code: 0 ok, 2 invalid config or arguments, 1 anything else.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const json = argv.includes('--json');
  const program = new Command('contrastive')
    .description('Contrastive self-supervised learning on TensorFlow.js')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError(false);

  program.command('train <config>').description('train a method from a config file (JSON or YAML)')
    .option('--set <path=value>', 'override a config value (repeatable)', collect, [])
    .option('--resume <checkpoint|run>', 'continue from a checkpoint folder, run folder or run id')
    .option('--json', 'print one JSON summary as the last line')
    .option('--quiet', 'no progress output')
    .action(async (config, o) => { code = await trainCommand({ config, set: o.set, resume: o.resume, json: !!o.json, quiet: !!o.quiet }, io); });
  program.command('eval').description('evaluate a trained run: linear probe, kNN, label efficiency, baselines, embedding plot')
    .requiredOption('--run <run-id>', 'the run id (or run folder) to evaluate')
    .option('--runs-dir <dir>', 'where run folders are (train.outputDir)', 'runs')
    .option('--representation <name>', 'global, an encoder feature map, or a representation the method provides')
    .option('--set <path=value>', 'override an eval option, e.g. eval.knn.k=50 (repeatable)', collect, [])
    .option('--json', 'print one JSON summary as the last line')
    .option('--quiet', 'no progress output')
    .action(async (o) => { code = await evalCommand({ run: o.run, runsDir: o.runsDir, set: o.set, representation: o.representation, json: !!o.json, quiet: !!o.quiet }, io); });
  program.command('report').description('write a Markdown table comparing the runs of an experiment')
    .requiredOption('--experiment <name>', 'the tracking.experiment of the runs (default experiment: contrastive)')
    .option('--runs-dir <dir>', 'where run folders are (train.outputDir)', 'runs')
    .option('--out <file>', 'write the table to a file instead of stdout')
    .action(async (o) => { code = await reportCommand({ experiment: o.experiment, runsDir: o.runsDir, out: o.out }, io); });
  program.command('validate <config>').description('check a config without training')
    .option('--set <path=value>', 'override a config value (repeatable)', collect, [])
    .option('--json', 'print the resolved config as JSON')
    .action(async (config, o) => { code = await validateCommand({ config, set: o.set, json: !!o.json }, io); });
  program.command('plugins').description('list installed plugins and their components')
    .option('--json', 'print JSON')
    .action(async (o) => { code = await pluginsCommand({ json: !!o.json }, io); });
  program.command('doctor').description('show the compute backend a run would use, and why the others are not')
    .option('--backend <choice>', 'auto | tensorflow | wasm | cpu', 'auto').option('--json', 'print JSON')
    .action(async (o) => { code = await doctorCommand({ backend: o.backend, json: !!o.json }, io); });
  program.command('init <method>').description('print a starter config for a method')
    .action(async (method) => { code = await initCommand({ method }, io); });
  program.command('schema').description('print the JSON Schema of configs (for editors)')
    .addOption(new Option('--plugin <name>', 'include a plugin\'s components (repeatable)').argParser(collect).default([]))
    .action(async (o) => { code = await schemaCommand({ plugin: o.plugin }, io); });
  addMlflowCommands(program, io, (c) => { code = c; });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    return report(err, io, json);
  }
}

function report(err: unknown, io: CliIo, json: boolean): number {
  if (err instanceof CommanderError) {
    // --help and --version end here with code 0; usage mistakes are invalid arguments.
    return err.exitCode === 0 ? EXIT.ok : EXIT.invalid;
  }
  const invalid = err instanceof UserInputError;
  const message = err instanceof Error ? err.message : String(err);
  println(io.stderr, `error: ${message}`);
  if (!invalid && !(err instanceof NonFiniteLossError) && err instanceof Error && process.env.CONTRASTIVE_DEBUG) {
    println(io.stderr, err.stack ?? '');
  }
  if (json) println(io.stdout, JSON.stringify({ status: invalid ? 'INVALID' : 'FAILED', error: message }));
  return invalid ? EXIT.invalid : EXIT.failure;
}

/** Entry point of bin/contrastive.js. */
export function runFromProcess(): void {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => { console.error(err); process.exitCode = EXIT.failure; },
  );
}
