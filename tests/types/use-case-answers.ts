/**
 * Type-level checks, run by `tsc --noEmit` (npm run typecheck), not by vitest: a use case whose answer
 * has another shape than its route's response in the contract does not compile. Each `@ts-expect-error`
 * fails the type check if the line under it ever compiles.
 */
import { success } from '../../server/app/app-result.js';
import type { UseCase } from '../../server/functions/use-cases.js';
import { USE_CASES } from '../../server/functions/use-cases.js';

const me = {
  member: { id: 'm1', email: 'm1@x.example', displayName: 'M1', office: null },
  registration: { state: 'registered', since: '2026-01-01T00:00:00.000Z' },
  credits: { own: 100, pool: 0, held: 0, available: 100 },
  mayDrawFromPool: false,
  roles: [],
} as const;

/** The right shape compiles (so the errors below are about the shape, not the set-up). */
export const right: UseCase<'me'> = async () => success({ ...me, roles: [] });

// @ts-expect-error a field the contract requires is missing
export const missingField: UseCase<'me'> = async () => success({ member: me.member, registration: me.registration, mayDrawFromPool: false, roles: [] });

// @ts-expect-error a field of the wrong type
export const wrongType: UseCase<'me'> = async () => success({ ...me, roles: [], credits: { ...me.credits, own: '100' } });

// @ts-expect-error another route's answer
export const otherRoute: UseCase<'me'> = async () => success({ ok: true, storage: 'up' as const });

// @ts-expect-error a file route answers with a file, not with the CSV text
export const fileAsText: UseCase<'importReport'> = async () => success('line,reason\n');

export const table = {
  ...USE_CASES,
  // @ts-expect-error the route table's use cases are checked the same way
  pool: USE_CASES.me,
} satisfies typeof USE_CASES;
