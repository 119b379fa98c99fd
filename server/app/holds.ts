import type { PlaceHoldBody, ResponseOf } from '../../src/contract/index.js';
import type { Hold, HoldState } from '../../src/core/holds/index.js';
import { HOLDS_ACTOR, expireHolds, placeHold, voidHold } from '../../src/core/holds/index.js';
import { creditsToUnits } from '../../src/core/ledger/index.js';
import type { AppResult, WriteRequest } from './app-result.js';
import { failure, fromOutcome, success } from './app-result.js';
import type { Caller } from './caller.js';
import { isAccountManager, seesEveryone } from './caller.js';
import type { AppDeps } from './deps.js';
import { allPages } from './paging.js';
import { withOpenPurchases } from './usage.js';
import { holdView } from './views.js';

/**
 * Reserves credits before a big job (DESIGN 3.5): own credits first, then the pool by the usual rule, held
 * until the usage is logged or imported, the hold is voided, or it expires.
 */
export async function postHold(deps: AppDeps, caller: Caller, request: WriteRequest, body: PlaceHoldBody): Promise<AppResult<ResponseOf<'placeHold'>>> {
  const memberId = body.memberId ?? caller.id;
  const forSelf = memberId === caller.id;
  if (!forSelf && !isAccountManager(caller)) return failure('FORBIDDEN', 'Only account managers can reserve credits for someone else.');
  const outcome = await deps.store.execute(caller.tenant, {
    actor: caller.id,
    idempotency: request.idempotency,
    needs: { members: [memberId], lots: true },
    decide: (state, ctx) => {
      const input = { memberId, amount: creditsToUnits(body.credits), service: body.service, source: forSelf ? ('self' as const) : ('manager' as const), ...(body.note ? { note: body.note } : {}) };
      const result = placeHold(state, input, ctx);
      if (!result.ok) return result;
      return { ok: true, value: { posting: result.value.posting, answer: { hold: holdView(result.value.hold) } } };
    },
  });
  return withOpenPurchases(deps, caller.tenant, fromOutcome(outcome));
}

/** Voids an open hold: the person who holds it, or an account manager. A hold already closed is a 409. */
export async function voidHoldFor(deps: AppDeps, caller: Caller, request: WriteRequest, holdId: string): Promise<AppResult<ResponseOf<'voidHold'>>> {
  const hold = await deps.store.getHold(caller.tenant, holdId);
  if (!hold) return failure('NOT_FOUND', `No hold ${holdId}.`);
  const own = hold.memberId === caller.id;
  if (!own && !isAccountManager(caller)) return failure('FORBIDDEN', 'Only the person who holds it, or an account manager, can void a hold.');
  const outcome = await deps.store.execute(caller.tenant, {
    actor: caller.id,
    idempotency: request.idempotency,
    needs: { members: [hold.memberId], holds: [hold.id] },
    decide: (state, ctx) => {
      const result = voidHold(state, hold.id, own ? 'self' : 'manager', ctx);
      if (!result.ok) return result;
      return { ok: true, value: { posting: result.value.posting, answer: { hold: holdView(result.value.hold) } } };
    },
  });
  return fromOutcome(outcome);
}

/** Holds, newest first: the caller's own; account managers and IT see everyone's (or one person's). */
export async function listHolds(
  deps: AppDeps,
  caller: Caller,
  query: { memberId?: string | undefined; state?: HoldState | undefined; cursor?: string | undefined; limit?: number | undefined },
): Promise<AppResult<ResponseOf<'listHolds'>>> {
  if (query.memberId && query.memberId !== caller.id && !seesEveryone(caller)) return failure('FORBIDDEN', 'You can only see your own holds.');
  const memberId = seesEveryone(caller) ? query.memberId : caller.id;
  const page = await deps.store.listHolds(caller.tenant, { memberId, state: query.state }, { cursor: query.cursor, limit: query.limit });
  return success({ items: page.items.map(holdView), nextCursor: page.nextCursor });
}

/** Every open hold of the tenant (the pool figures, the expiry timer). */
export function openHolds(deps: AppDeps, tenant: string): Promise<Hold[]> {
  return allPages((cursor) => deps.store.listHolds(tenant, { state: 'held' }, { cursor, limit: 500 }));
}

/**
 * The hourly expiry (DESIGN 3.5): every open hold past its expiry, by the deps' clock, is released by a
 * system posting. Each hold's release is keyed by the hold, so a second run, or two machines at once,
 * release nothing twice; a hold settled or voided meanwhile is left alone.
 */
export async function expireDueHolds(deps: AppDeps, tenant: string): Promise<{ due: number; expired: string[] }> {
  const asOf = deps.clock.now().toISOString();
  const due = (await openHolds(deps, tenant)).filter((h) => h.expiresAt <= asOf);
  const outcomes = await Promise.all(
    due.map((hold) =>
      deps.store.execute(tenant, {
        actor: HOLDS_ACTOR,
        idempotency: { caller: HOLDS_ACTOR, key: `expire|${hold.id}`, fingerprint: hold.id },
        needs: { members: [hold.memberId], holds: [hold.id] },
        decide: (state, ctx) => {
          const result = expireHolds(state, [hold.id], asOf, ctx);
          if (!result.ok) return result;
          return { ok: true, value: { posting: result.value.posting, answer: { holdId: hold.id } } };
        },
      }),
    ),
  );
  const expired = due.filter((_h, i) => {
    const outcome = outcomes[i];
    return outcome?.kind === 'committed' && !outcome.replayed;
  });
  return { due: due.length, expired: expired.map((h) => h.id) };
}
