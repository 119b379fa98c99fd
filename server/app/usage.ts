import type { ResponseOf, UsageBody } from '../../src/contract/index.js';
import { creditsToUnits, planUsage, unitsToCredits } from '../../src/core/ledger/index.js';
import { OPEN_PURCHASE_STATES } from '../../src/core/purchases/index.js';
import type { AppResult, WriteRequest } from './app-result.js';
import { failure, fromOutcome, success } from './app-result.js';
import type { Caller } from './caller.js';
import { isAccountManager, seesEveryone } from './caller.js';
import type { AppDeps } from './deps.js';
import { purchaseView, transferView } from './views.js';

/** Logs usage: own credits first, then the pool once they are used up (DESIGN 3.2). */
export async function postUsage(deps: AppDeps, caller: Caller, request: WriteRequest, body: UsageBody): Promise<AppResult<ResponseOf<'postUsage'>>> {
  const memberId = body.memberId ?? caller.id;
  const forSelf = memberId === caller.id;
  if (!forSelf && !isAccountManager(caller)) return failure('FORBIDDEN', 'Only account managers can log usage for someone else.');
  // The service, the member and the balances are checked inside the decision, against the same state it
  // writes. The open purchases come along so a draw that crosses the low line knows what is on its way.
  const outcome = await deps.store.execute(caller.tenant, {
    actor: caller.id,
    idempotency: request.idempotency,
    needs: { members: [memberId], lots: true, openPurchases: true },
    decide: (state, ctx) => {
      const result = planUsage(
        state,
        {
          memberId,
          amount: creditsToUnits(body.credits),
          service: body.service,
          date: body.date,
          source: forSelf ? 'self' : 'manager',
          ...(body.project ? { project: body.project } : {}),
          ...(body.note ? { note: body.note } : {}),
        },
        ctx,
      );
      if (!result.ok) return result;
      const { posting, fromOwn, fromPool, balanceAfter, settledHolds } = result.value;
      const settled = settledHolds.map((h) => ({ id: h.id, credits: unitsToCredits(h.amount), service: h.service }));
      return {
        ok: true,
        value: {
          posting,
          answer: {
            postingId: posting.id,
            fromOwn: unitsToCredits(fromOwn),
            fromPool: unitsToCredits(fromPool),
            balanceAfter: unitsToCredits(balanceAfter),
            ...(settled.length > 0 ? { settledHolds: settled } : {}),
          },
        },
      };
    },
  });
  return withOpenPurchases(deps, caller.tenant, fromOutcome(outcome));
}

/** A POOL_INSUFFICIENT refusal says whether more credits are on the way: the purchases that are open now. */
export async function withOpenPurchases<T>(deps: AppDeps, tenant: string, answer: AppResult<T>): Promise<AppResult<T>> {
  if (answer.ok || answer.code !== 'POOL_INSUFFICIENT') return answer;
  const open = await Promise.all(OPEN_PURCHASE_STATES.map((state) => deps.store.listPurchases(tenant, { state }, { limit: 20 })));
  const openPurchases = open.flatMap((p) => p.items).map((p) => ({ ...purchaseView(p), steps: undefined }));
  return failure(answer.code, answer.message, { ...(answer.details as object), openPurchases });
}

export async function listUsage(deps: AppDeps, caller: Caller, query: { memberId?: string | undefined; cursor?: string | undefined; limit?: number | undefined }): Promise<AppResult<ResponseOf<'listUsage'>>> {
  if (query.memberId && query.memberId !== caller.id && !seesEveryone(caller)) {
    return failure('FORBIDDEN', 'You can only see your own history.');
  }
  const memberId = seesEveryone(caller) ? query.memberId : caller.id;
  const page = await deps.store.listTransfers(caller.tenant, { memberId }, { cursor: query.cursor, limit: query.limit });
  return success({ items: page.items.map(transferView), nextCursor: page.nextCursor });
}
