import type { Settings } from '../../src/contract/index.js';
import { checkInvariants, emptyPosting } from '../../src/core/index.js';
import type { AppResult, WriteRequest } from './app-result.js';
import { fromOutcome, success } from './app-result.js';
import type { Caller } from './caller.js';
import type { AppDeps } from './deps.js';
import { policyOf } from './deps.js';

export async function getSettings(deps: AppDeps, caller: Caller): Promise<AppResult> {
  return success(200, await policyOf(deps, caller.tenant));
}

export async function putSettings(deps: AppDeps, caller: Caller, request: WriteRequest, body: Settings): Promise<AppResult> {
  const outcome = await deps.store.execute(caller.tenant, {
    actor: caller.id,
    idempotency: request.idempotency,
    needs: {},
    decide: (_state, ctx) => ({ ok: true, value: { posting: { ...emptyPosting(ctx.postingId), policy: body }, status: 200, body } }),
  });
  return fromOutcome(outcome);
}

export async function checkLedger(deps: AppDeps, caller: Caller): Promise<AppResult> {
  const violations = checkInvariants(await deps.store.snapshot(caller.tenant));
  return success(200, { ok: violations.length === 0, violations });
}
