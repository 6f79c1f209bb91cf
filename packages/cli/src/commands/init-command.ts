import { stringify } from 'yaml';
import { createRegistry, declaredModalities, discoverPlugins, loadPlugins, UserInputError, type Registry } from '@contrastive/framework';
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
  // Fashion-MNIST as images, or read as 28 steps of 28 values when the method's default
  // encoder takes sequences (framework API 1.3.0), so the starter config validates as printed.
  const encoder = def.defaults?.encoder && registry.has('encoder', def.defaults.encoder.use) ? registry.get('encoder', def.defaults.encoder.use) : null;
  const sequences = !!encoder && !declaredModalities(encoder).includes('image');
  const config = {
    name: `${args.method}-fashion-mnist${sequences ? '-rows' : ''}`,
    seed: 42,
    backend: 'auto',
    plugins,
    data: sequences ? { use: 'image-rows', images: { use: 'fashion-mnist' }, batchSize: 256 } : { use: 'fashion-mnist', batchSize: 256 },
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
