import * as fs from 'fs';
import * as path from 'path';

/** An installed package that looks like a contrastive plugin. */
export interface DiscoveredPlugin {
  name: string;
  version: string;
  dir: string;
}

/**
 * Finds installed plugin packages: every `node_modules` from `fromDir` up to the root is
 * searched for packages named `@contrastive/plugin-*` or `contrastive-plugin-*`, or whose
 * package.json lists the keyword `contrastive-plugin`. Nothing is imported.
 */
export function discoverPlugins(fromDir: string = process.cwd()): DiscoveredPlugin[] {
  const found = new Map<string, DiscoveredPlugin>();
  let dir = path.resolve(fromDir);
  for (;;) {
    const nm = path.join(dir, 'node_modules');
    if (fs.existsSync(nm)) {
      for (const entry of listPackages(nm)) {
        if (found.has(entry.name)) continue;
        const pkg = readPackage(entry.dir);
        if (!pkg) continue;
        const named = /^(@contrastive\/plugin-|contrastive-plugin-)/.test(pkg.name);
        const tagged = Array.isArray(pkg.keywords) && pkg.keywords.includes('contrastive-plugin');
        if (named || tagged) found.set(pkg.name, { name: pkg.name, version: pkg.version, dir: entry.dir });
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function listPackages(nodeModules: string): Array<{ name: string; dir: string }> {
  const out: Array<{ name: string; dir: string }> = [];
  for (const name of safeReaddir(nodeModules)) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) {
      for (const sub of safeReaddir(path.join(nodeModules, name))) out.push({ name: `${name}/${sub}`, dir: path.join(nodeModules, name, sub) });
    } else {
      out.push({ name, dir: path.join(nodeModules, name) });
    }
  }
  return out;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function readPackage(dir: string): { name: string; version: string; keywords?: string[] } | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return null;
  }
}
