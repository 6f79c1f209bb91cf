import { stringify } from 'yaml';
import { createRegistry, discoverPlugins, loadPlugins, UserInputError, type Registry } from '@contrastive/framework';
import { type CliIo, EXIT, println } from '../io';

/**
 * `contrastive init <method>`: prints a starter config for a method, with the method's
 * default slots written out so they are easy to change. Methods from installed plugins
 * are found by loading the plugins that provide them.
 */
export async function initCommand(args: { method: string }, io: CliIo): Promise<number> {
  const registry = createRegistry();
  const plugins = registry.has('method', args.method) ? [] : findProvider(registry, args.method, io.cwd);
  const def = registry.get('method', args.method, 'contrastive init');
  const config = {
    name: `${args.method}-fashion-mnist`,
    seed: 42,
    backend: 'auto',
    plugins,
    data: { use: 'fashion-mnist', batchSize: 256 },
    method: { use: args.method },
    ...def.defaults,
    train: { epochs: 1, optimizer: { use: 'adam', lr: 0.001 }, schedule: { use: 'cosine' }, logEvery: 10 },
  };
  println(io.stdout, `# starter config for ${args.method} (${def.description})`);
  println(io.stdout, '# check it with: contrastive validate <file>; train it with: contrastive train <file>');
  io.stdout.write(stringify(config));
  return EXIT.ok;
}

function findProvider(registry: Registry, method: string, cwd: string): string[] {
  for (const p of discoverPlugins(cwd)) {
    try {
      loadPlugins([p.name], registry, { resolveFrom: [cwd, p.dir] });
    } catch {
      continue; // a broken plugin cannot provide the method; `contrastive plugins` reports it
    }
    if (registry.has('method', method)) return [p.name];
  }
  throw new UserInputError(`unknown method "${method}"; built-in and installed methods: ${registry.names('method').join(', ')}`);
}
