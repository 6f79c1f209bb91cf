import { container as rootContainer, DependencyContainer } from 'tsyringe';
import type { ComponentDefinition, ComponentKind } from './component-definition';
import { COMPONENT_KINDS } from './component-definition';
import { UnknownComponentError } from './errors';
import { componentRef } from './tokens';

/** The part of the registry a plugin's `register` sees. */
export interface RegistrationApi {
  register(definition: ComponentDefinition): void;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Components by (kind, name). Each definition is also bound in a tsyringe container under
 * a typed token, so services can ask for a component without string lookups at call sites.
 */
export class Registry implements RegistrationApi {
  private readonly byKey = new Map<string, ComponentDefinition>();

  constructor(readonly container: DependencyContainer = rootContainer.createChildContainer()) {}

  register(definition: ComponentDefinition, source = '@contrastive/framework'): void {
    this.check(definition);
    const key = keyOf(definition.kind, definition.name);
    const existing = this.byKey.get(key);
    if (existing) {
      throw new Error(
        `${definition.kind} "${definition.name}" is already registered by ${existing.source}; ` +
          `${source} cannot register it again`,
      );
    }
    const stored = Object.freeze({ ...definition, source });
    this.byKey.set(key, stored);
    this.container.register(componentRef(definition.kind, definition.name), { useValue: stored });
  }

  /**
   * Runs `fn` against a staging area and commits only if it returns without throwing:
   * a plugin whose `register` fails leaves nothing behind.
   */
  transaction(source: string, fn: (api: RegistrationApi) => void): ComponentDefinition[] {
    const staged: ComponentDefinition[] = [];
    const staging = new Registry(this.container.createChildContainer());
    for (const def of this.byKey.values()) staging.byKey.set(keyOf(def.kind, def.name), def);
    fn({
      register: (definition) => {
        staging.register(definition, source);
        staged.push(staging.byKey.get(keyOf(definition.kind, definition.name))!);
      },
    });
    for (const def of staged) this.register(def, source);
    return staged;
  }

  has(kind: ComponentKind, name: string): boolean {
    return this.byKey.has(keyOf(kind, name));
  }

  /** @throws UnknownComponentError naming the known components of that kind. */
  get<K extends ComponentKind>(kind: K, name: string, where?: string): ComponentDefinition<K> {
    const def = this.byKey.get(keyOf(kind, name));
    if (!def) throw new UnknownComponentError(kind, name, this.names(kind), where);
    return def as ComponentDefinition<K>;
  }

  list(kind?: ComponentKind): ComponentDefinition[] {
    const all = [...this.byKey.values()];
    return (kind ? all.filter((d) => d.kind === kind) : all).sort((a, b) =>
      a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind.localeCompare(b.kind),
    );
  }

  names(kind: ComponentKind): string[] {
    return this.list(kind).map((d) => d.name);
  }

  private check(def: ComponentDefinition): void {
    if (!COMPONENT_KINDS.includes(def.kind)) {
      throw new Error(`component "${def.name}" has unknown kind "${def.kind}"; kinds: ${COMPONENT_KINDS.join(', ')}`);
    }
    if (!KEBAB.test(def.name)) throw new Error(`component name "${def.name}" must be kebab-case`);
    if (typeof def.create !== 'function') throw new Error(`${def.kind} "${def.name}" has no create() factory`);
    if (!def.schema || def.schema.type !== 'object') {
      throw new Error(`${def.kind} "${def.name}" must declare a JSON Schema of type "object" for its options`);
    }
  }
}

function keyOf(kind: string, name: string): string {
  return `${kind}:${name}`;
}
