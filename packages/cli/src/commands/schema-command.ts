import { composeConfigSchema, createRegistry, loadPlugins } from '@contrastive/framework';
import { EVAL_OPTIONS_SCHEMA } from '@contrastive/eval';
import { type CliIo, EXIT, println } from '../io';

/**
 * `contrastive schema [--plugin name]...`: prints the JSON Schema of a config composed
 * from the built-in components and the given plugins, for editor completion.
 */
export async function schemaCommand(args: { plugin: string[] }, io: CliIo): Promise<number> {
  const registry = createRegistry();
  loadPlugins(args.plugin, registry, { resolveFrom: [io.cwd] });
  const schema = composeConfigSchema(registry);
  // The framework knows only the keys of `eval:`; @contrastive/eval defines their options.
  (schema.properties as Record<string, unknown>).eval = { ...EVAL_OPTIONS_SCHEMA, default: {} };
  println(io.stdout, JSON.stringify(schema, null, 2));
  return EXIT.ok;
}
