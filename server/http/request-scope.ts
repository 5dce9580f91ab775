import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the HTTP server learns about one request while Next handles it: the route handlers note who the caller
 * turned out to be, so the request log line can name the actor type without re-authenticating.
 * Kept on globalThis because Next's bundled route code and our server load this module separately.
 */
export interface RequestScope { requestId: string; actorType?: 'user' | 'token' | 'anonymous' }

const holder = globalThis as unknown as { switchyardRequestScope?: AsyncLocalStorage<RequestScope> };
const storage = (holder.switchyardRequestScope ??= new AsyncLocalStorage<RequestScope>());

export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** Records the caller's actor type on the current request, when there is one (no-op outside our server). */
export function noteActorType(actorType: RequestScope['actorType']): void {
  const scope = storage.getStore();
  if (scope) scope.actorType = actorType;
}
