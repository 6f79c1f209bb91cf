import { composeConfigSchema, createRegistry, loadPlugins } from '@contrastive/framework';
import { type CliIo, EXIT, println } from '../io';

/**
 * `contrastive schema [--plugin name]...`: prints the JSON Schema of a config composed
 * from the built-in components and the given plugins, for editor completion.
 */
export async function schemaCommand(args: { plugin: string[] }, io: CliIo): Promise<number> {
  const registry = createRegistry();
  loadPlugins(args.plugin, registry, { resolveFrom: [io.cwd] });
  println(io.stdout, JSON.stringify(composeConfigSchema(registry), null, 2));
  return EXIT.ok;
}
