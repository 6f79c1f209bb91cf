import { MlflowApiError, MlflowUnreachableError } from '../errors';
import type { TrackingBackend } from '../tracking-backend';

/**
 * Wraps a backend so tests can take it "down" (every call fails as unreachable) or make it
 * refuse credentials, and counts the calls that got through.
 */
export function flakyBackend(inner: TrackingBackend): { backend: TrackingBackend; state: { down: boolean; unauthorized: boolean; calls: number } } {
  const state = { down: false, unauthorized: false, calls: 0 };
  const backend = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (state.down) throw new MlflowUnreachableError(inner.uri, 'ECONNREFUSED', 1);
        if (state.unauthorized) throw new MlflowApiError(401, 'UNAUTHENTICATED', 'You are not authenticated.', String(prop));
        state.calls += 1;
        return value.apply(target, args);
      };
    },
  });
  return { backend, state };
}
