import type { AppResult } from '../../server/app/app-result.js';
import type { Caller } from '../../server/app/caller.js';

/** An account manager and numbered employees of one tenant, for calling use cases directly. */
export function callersOf(tenant: string): { manager: Caller; person: (i: number) => Caller } {
  return {
    manager: { tenant, id: 'am', email: 'am@x.example', displayName: 'AM', roles: ['AccountManager'] },
    person: (i: number): Caller => ({ tenant, id: `p${i}`, email: `p${i}@x.example`, displayName: `P${i}`, roles: [] }),
  };
}

let written = 0;
/** A write request with an idempotency key of its own. */
export const freshWrite = () => ({ idempotency: { caller: 'x', key: `k${++written}`, fingerprint: `k${written}` } });

/** A use case's answer, which the test expects to be a success. */
export function body<T = any>(result: AppResult): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value as T;
}
