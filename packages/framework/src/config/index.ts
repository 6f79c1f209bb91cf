export { composeConfigSchema, COMPONENT_PLACES, type ComponentPlace } from './compose-schema';
export { checkModality, dataModality, declaredModalities } from './check-modality';
export { ConfigError, formatIssue, type ConfigIssue } from './config-error';
export { validateComponentOptions } from './component-options';
export { flattenConfig } from './flatten';
export { formatPath, locate, type Location, type PathSegment, type SourceMap } from './json-path';
export { loadConfigFile, type LoadedConfig } from './load-config';
export { applySetOverrides, parseSetPath, type SetOverridesResult } from './overrides';
export { resolveMethodSlots } from './resolve-slots';
export { translateAjvErrors, type PlainError } from './translate-errors';
export {
  validateConfig, type BackendSetting, type EvalConfig, type ResolvedConfig, type TrackingConfig, type TrainConfig,
} from './validate-config';
