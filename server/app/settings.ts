import type { ResponseOf, Settings } from '../../src/contract/index.js';
import { checkInvariants, emptyPosting } from '../../src/core/ledger/index.js';
import { policyProblems, publicPolicy } from '../../src/core/policy/index.js';
import type { AppResult, WriteRequest } from './app-result.js';
import { failure, fromOutcome, success } from './app-result.js';
import type { Caller } from './caller.js';
import type { AppDeps } from './deps.js';
import { policyOf } from './deps.js';

/** The policy as everyone may read it. */
export async function getPolicy(deps: AppDeps, caller: Caller): Promise<AppResult<ResponseOf<'getPolicy'>>> {
  return success(publicPolicy(await policyOf(deps, caller.tenant)));
}

/** The whole of the settings, IT's delivery details and limits included (the route table lets only IT call it). */
export async function getSettings(deps: AppDeps, caller: Caller): Promise<AppResult<ResponseOf<'getSettings'>>> {
  return success(await policyOf(deps, caller.tenant));
}

/**
 * IT changes the policy. Flex mode (unitName "Flex tokens") needs no individual allotment and an expiry
 * for packs, or it is refused (VALIDATION_FAILED with the fields). Switching while people still have own
 * credits is allowed: what was granted stays theirs and is used first; nobody is granted more. A Teams
 * webhook URL off the deployment's allowed hosts is refused the same way (the server would post there).
 */
export async function putSettings(deps: AppDeps, caller: Caller, request: WriteRequest, body: Settings): Promise<AppResult<ResponseOf<'putSettings'>>> {
  const webhookProblem = body.teamsWebhookUrl === null ? undefined : deps.webhookTargets?.problem(body.teamsWebhookUrl);
  const problems = [...policyProblems(body), ...(webhookProblem ? [{ field: 'teamsWebhookUrl', message: webhookProblem }] : [])];
  if (problems.length > 0) {
    return failure('VALIDATION_FAILED', problems.map((p) => p.message).join(' '), { fields: problems.map((p) => p.field), problems });
  }
  const outcome = await deps.store.execute(caller.tenant, {
    actor: caller.id,
    idempotency: request.idempotency,
    needs: {},
    decide: (_state, ctx) => ({ ok: true, value: { posting: { ...emptyPosting(ctx.postingId), policy: body }, answer: body } }),
  });
  return fromOutcome(outcome);
}

export async function checkLedger(deps: AppDeps, caller: Caller): Promise<AppResult<ResponseOf<'ledgerCheck'>>> {
  const violations = checkInvariants(await deps.store.snapshot(caller.tenant));
  return success({ ok: violations.length === 0, violations });
}
