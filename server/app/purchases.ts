import type { ResponseOf } from '../../src/contract/index.js';
import type { PurchaseEvent, PurchaseState } from '../../src/core/purchases/index.js';
import { applyPurchaseEvent, createPurchase } from '../../src/core/purchases/index.js';
import type { AppResult, WriteRequest } from './app-result.js';
import { fromOutcome, success } from './app-result.js';
import type { Caller } from './caller.js';
import type { AppDeps } from './deps.js';
import { purchaseView } from './views.js';

export async function startPurchase(deps: AppDeps, caller: Caller, request: WriteRequest, body: { blocks: number; reason?: string | undefined }): Promise<AppResult<ResponseOf<'createPurchase'>>> {
  const outcome = await deps.store.execute(caller.tenant, {
    actor: caller.id,
    idempotency: request.idempotency,
    needs: {},
    decide: (state, ctx) => {
      // The purchase is named by the posting that creates it: newest-first, unique.
      const result = createPurchase(state, { purchaseId: ctx.postingId, blocks: body.blocks, ...(body.reason ? { reason: body.reason } : {}) }, ctx);
      if (!result.ok) return result;
      return { ok: true, value: { posting: result.value.posting, answer: { purchase: purchaseView(result.value.purchase) } } };
    },
  });
  return fromOutcome(outcome);
}

export async function purchaseEvent(
  deps: AppDeps,
  caller: Caller,
  request: WriteRequest,
  purchaseId: string,
  body: { type: PurchaseEvent; quoteNumber?: string | undefined; price?: number | undefined; currency?: string | undefined; poNumber?: string | undefined; reason?: string | undefined },
): Promise<AppResult<ResponseOf<'purchaseEvent'>>> {
  const input = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as typeof body;
  const outcome = await deps.store.execute(caller.tenant, {
    actor: caller.id,
    idempotency: request.idempotency,
    needs: { purchases: [purchaseId], lots: body.type === 'applied' },
    decide: (state, ctx) => {
      const result = applyPurchaseEvent(state, { purchaseId, ...input, type: body.type }, ctx);
      if (!result.ok) return result;
      return { ok: true, value: { posting: result.value.posting, answer: { purchase: purchaseView(result.value.purchase) } } };
    },
  });
  return fromOutcome(outcome);
}

export async function listPurchases(deps: AppDeps, caller: Caller, query: { state?: PurchaseState | undefined; cursor?: string | undefined; limit?: number | undefined }): Promise<AppResult<ResponseOf<'listPurchases'>>> {
  const page = await deps.store.listPurchases(caller.tenant, { state: query.state }, { cursor: query.cursor, limit: query.limit });
  return success({ items: page.items.map(purchaseView), nextCursor: page.nextCursor });
}
