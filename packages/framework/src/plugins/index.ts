export * from './discover-plugins';
export * from './manifest';
export {
  listLoadedPlugins, loadPlugins, manifestProblem, PluginLoadError, type LoadedPlugin, type LoadPluginsOptions,
} from './plugin-loader';
