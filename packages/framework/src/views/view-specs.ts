import type { ComponentSpec, OptionsCheckContext } from '../registry/component-definition';
import { ConfigError, type ConfigIssue } from '../config/config-error';
import { formatPath, locate, type PathSegment } from '../config/json-path';

/**
 * One named view in a method's options (API 1.4): a `view` transform and, optionally, the
 * view's own augmentations.
 *
 * - without `augment`, the view reads the batch after one shared draw of the run's `augment`
 *   pipeline, the same draw for every such view (CMC's L and ab come from one crop of one image);
 * - with `augment` (a list, possibly empty), the view draws its own augmentations of the batch.
 */
export interface ViewSpec {
  name: string;
  transform: ComponentSpec;
  augment?: ComponentSpec[];
}

const SPEC = { type: 'object', required: ['use'], properties: { use: { type: 'string' } } };

/** JSON Schema of a list of {@link ViewSpec}s (at least two views, as contrast needs a pair). */
export const VIEW_SPECS_SCHEMA = {
  type: 'array',
  minItems: 2,
  description: 'Named views: [{ name, transform: { use: <view>, ... }, augment?: [...] }]; at least two.',
  items: {
    type: 'object', required: ['name', 'transform'], additionalProperties: false,
    properties: {
      name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]*$', description: 'The view\'s name (letters, digits, _ and -).' },
      transform: { ...SPEC, description: 'A `view` component: image, channels, lab-l, lab-ab, gradient-magnitude, region, or a plugin\'s.' },
      augment: { type: 'array', items: SPEC, description: 'This view\'s own augmentations (default: the shared draw of the `augment` slot).' },
    },
  },
} as const;

/** JSON Schema of per-view encoder specs, keyed by view name (a view not listed uses the `encoder` slot). */
export const VIEW_ENCODERS_SCHEMA = {
  type: 'object',
  description: 'Encoder of each view by view name, e.g. { L: { use: convnet }, ab: { use: convnet } }; a view not listed uses the `encoder` slot.',
  additionalProperties: SPEC,
} as const;

/**
 * Checks a method's views beyond their schema, before anything is built: unique names, each
 * transform and augmentation valid for its component, every key of `encoders` naming a view.
 * Fills defaults into the nested specs in place (so the build sees complete options).
 *
 * @param at JSON paths of the two options, e.g. `{ views: ['method', 'views'], encoders: ['method', 'encoders'] }`
 * @throws ConfigError naming the JSON path (and the config line) of each problem
 */
export function checkViewSpecs(
  views: ViewSpec[],
  encoders: Record<string, unknown> | undefined,
  check: OptionsCheckContext,
  at: { views: readonly PathSegment[]; encoders: readonly PathSegment[] },
): void {
  const issues: ConfigIssue[] = [];
  const issue = (path: readonly PathSegment[], message: string) =>
    issues.push({ path: formatPath(path), message, file: check.source?.file, ...locate(check.source, path) });
  const seen = new Map<string, number>();
  views.forEach((v, i) => {
    const here = [...at.views, i];
    if (seen.has(v.name)) issue([...here, 'name'], `view name "${v.name}" is used twice (also by ${formatPath([...at.views, seen.get(v.name)!])})`);
    seen.set(v.name, i);
    collect(issues, () => { v.transform = check.validateNested('view', v.transform, [...here, 'transform']); });
    v.augment?.forEach((a, j) => collect(issues, () => { v.augment![j] = check.validateNested('augment', a, [...here, 'augment', j]); }));
  });
  for (const [name, spec] of Object.entries(encoders ?? {})) {
    if (!seen.has(name)) {
      issue([...at.encoders, name], `no view is named "${name}", so no view would use this encoder; views: ${views.map((v) => v.name).join(', ')}`);
      continue;
    }
    collect(issues, () => { encoders![name] = check.validateNested('encoder', spec, [...at.encoders, name]); });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

/** Runs `fn`, adding the issues of a ConfigError it throws to `issues`. */
function collect(issues: ConfigIssue[], fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    issues.push(...err.issues);
  }
}
