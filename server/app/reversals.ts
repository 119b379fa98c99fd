import type { ResponseOf } from '../../src/contract/index.js';
import { reverseTransfer } from '../../src/core/ledger/index.js';
import type { AppResult, WriteRequest } from './app-result.js';
import { failure, fromOutcome } from './app-result.js';
import type { Caller } from './caller.js';
import type { AppDeps } from './deps.js';
import { transferView } from './views.js';

/** A correction: a new transfer that mirrors the original, at most once per transfer. */
export async function reverse(deps: AppDeps, caller: Caller, request: WriteRequest, transferId: string, body: { reason: string }): Promise<AppResult<ResponseOf<'reverseTransfer'>>> {
  const original = await deps.store.getTransfer(caller.tenant, transferId);
  if (!original) return failure('NOT_FOUND', `No transfer ${transferId}.`);
  const outcome = await deps.store.execute(caller.tenant, {
    actor: caller.id,
    idempotency: request.idempotency,
    needs: { members: original.memberId ? [original.memberId] : [], lots: Boolean(original.lotId) },
    decide: (state, ctx) => {
      const result = reverseTransfer(state, original, body, ctx);
      if (!result.ok) return result;
      return { ok: true, value: { posting: result.value.posting, answer: { postingId: ctx.postingId, reversal: transferView(result.value.reversal) } } };
    },
  });
  return fromOutcome(outcome);
}
