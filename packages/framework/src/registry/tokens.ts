import type { InjectionToken } from 'tsyringe';
import type { ComponentDefinition, ComponentKind } from './component-definition';

/**
 * A typed reference to a service in the DI container (after Backstage's `createServiceRef`):
 * call sites use the ref, never a raw string, and get the type with it.
 */
export interface ServiceRef<T> {
  readonly id: string;
  readonly token: InjectionToken<T>;
}

export function createServiceRef<T>(options: { id: string }): ServiceRef<T> {
  return { id: options.id, token: Symbol.for(`contrastive.${options.id}`) as InjectionToken<T> };
}

/** The token under which a component definition is bound: `component.<kind>.<name>`. */
export function componentRef<K extends ComponentKind>(kind: K, name: string): InjectionToken<ComponentDefinition<K>> {
  return `component.${kind}.${name}`;
}
