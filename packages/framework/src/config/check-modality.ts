import { DEFAULT_MODALITY, type Modality } from '../contracts';
import type { ComponentDefinition, MethodSlots } from '../registry/component-definition';
import type { Registry } from '../registry/registry';
import { ConfigError, type ConfigIssue } from './config-error';
import { locate, type SourceMap } from './json-path';

/** What a component declares (`modalities`), `['image']` when it declares nothing. */
export function declaredModalities(definition: Pick<ComponentDefinition, 'modalities'>): readonly Modality[] {
  return definition.modalities && definition.modalities.length > 0 ? definition.modalities : [DEFAULT_MODALITY];
}

/** The modality a data source yields: the first it declares (`image` by default). */
export function dataModality(registry: Registry, dataUse: string): Modality {
  return declaredModalities(registry.get('data', dataUse, 'data.use'))[0];
}

const SHAPES: Record<Modality, string> = { image: 'images [B, H, W, C]', sequence: 'sequences [B, T, D]' };

/**
 * Refuses a config whose data modality (images or sequences) is not one its method and its
 * encoder accept, before anything is built: e.g. the `convnet` encoder (images) with
 * `synthetic-sequence` data. The error names both components and the config lines.
 *
 * @param config the validated config's `data` and `method` blocks
 * @param slots the resolved slots (the encoder may come from the method's defaults)
 * @param fromConfig which slots the config itself sets (for the JSON path in the message)
 * @throws ConfigError (exit code 2) naming the encoder or method and the data source
 */
export function checkModality(
  config: { data: { use: string }; method: { use: string } },
  slots: Pick<MethodSlots, 'encoder'>,
  registry: Registry,
  source?: SourceMap,
  fromConfig: { encoder: boolean } = { encoder: true },
): void {
  const data = config.data.use;
  const yields = dataModality(registry, data);
  const dataLine = locate(source, ['data', 'use']).line;
  const dataWhere = `data "${data}" (data.use${dataLine !== undefined ? `, line ${dataLine}` : ''}) yields ${SHAPES[yields]}`;
  const issues: ConfigIssue[] = [];
  const method = registry.get('method', config.method.use, 'method.use');
  const methodAccepts = declaredModalities(method);
  if (!methodAccepts.includes(yields)) {
    issues.push({
      path: 'method.use', file: source?.file, ...locate(source, ['method', 'use']),
      message: `method "${method.name}" takes ${methodAccepts.map((m) => SHAPES[m]).join(' or ')}, but ${dataWhere}`,
    });
  }
  const encoder = registry.get('encoder', slots.encoder.use, 'encoder.use');
  const encoderAccepts = declaredModalities(encoder);
  if (!encoderAccepts.includes(yields)) {
    const path = fromConfig.encoder ? 'encoder.use' : 'method.use';
    const origin = fromConfig.encoder ? '' : ` (the default encoder of method "${method.name}"; set encoder: to one that takes ${SHAPES[yields]})`;
    issues.push({
      path, file: source?.file, ...locate(source, fromConfig.encoder ? ['encoder', 'use'] : ['method', 'use']),
      message: `encoder "${encoder.name}"${origin} takes ${encoderAccepts.map((m) => SHAPES[m]).join(' or ')}, but ${dataWhere}`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}
