import type { RegistrationApi } from '../registry';

/**
 * The version of the contracts plugins are written against. A plugin declares the range
 * it supports (`frameworkApi`, semver); the loader refuses a plugin whose range does not
 * include this version. Bump the major on any breaking change to src/contracts.
 */
export const FRAMEWORK_API_VERSION = '1.4.0';

/** What a plugin package default-exports. */
export interface PluginManifest {
  /** The npm package name, e.g. `@contrastive/plugin-moco`. */
  name: string;
  /** The plugin's own version (semver). */
  version: string;
  /** Range of FRAMEWORK_API_VERSION this plugin supports, e.g. `^1.0.0`. */
  frameworkApi: string;
  description?: string;
  /** Registers the plugin's components. Must not have side effects beyond registration. */
  register(registry: RegistrationApi): void;
}

/** Identity helper that type-checks a manifest: `export default definePlugin({...})`. */
export function definePlugin(manifest: PluginManifest): PluginManifest {
  return manifest;
}
