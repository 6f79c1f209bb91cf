import { createRegistry, discoverPlugins, FRAMEWORK_API_VERSION, loadPlugins } from '@contrastive/framework';
import { type CliIo, EXIT, println } from '../io';

interface PluginRow {
  name: string;
  version: string;
  status: 'ok' | 'error';
  components: string[];
  error?: string;
}

/**
 * `contrastive plugins`: the installed plugin packages, whether each loads against this
 * framework, and the components each contributes (plus the built-ins).
 */
export async function pluginsCommand(args: { json: boolean }, io: CliIo): Promise<number> {
  const registry = createRegistry();
  const builtin = registry.list().map((d) => `${d.kind}:${d.name}`);
  const rows: PluginRow[] = discoverPlugins(io.cwd).map((p) => {
    try {
      const [loaded] = loadPlugins([p.name], registry, { resolveFrom: [io.cwd, p.dir] });
      return { name: p.name, version: loaded.version, status: 'ok', components: loaded.components };
    } catch (err) {
      return { name: p.name, version: p.version, status: 'error', components: [], error: (err as Error).message };
    }
  });
  if (args.json) {
    println(io.stdout, JSON.stringify({ frameworkApi: FRAMEWORK_API_VERSION, builtin, plugins: rows }));
    return EXIT.ok;
  }
  println(io.stdout, `framework API ${FRAMEWORK_API_VERSION}`);
  println(io.stdout, `built-in: ${builtin.join(', ')}`);
  if (rows.length === 0) println(io.stdout, 'no plugin packages installed');
  for (const r of rows) {
    println(io.stdout, `${r.name}@${r.version}: ${r.status === 'ok' ? r.components.join(', ') : `NOT LOADABLE: ${r.error}`}`);
  }
  return EXIT.ok;
}
