import type { ResponseOf } from '../../src/contract/index.js';
import { askForRegistrationHelp } from '../../src/core/registration/index.js';
import type { AppResult, WriteRequest } from './app-result.js';
import { failure, fromOutcome, success } from './app-result.js';
import type { Caller } from './caller.js';
import type { AppDeps } from './deps.js';

/**
 * The quarantine helper found nothing: the person tells the account managers, through a stuck-registration
 * alert in the feed. Only for oneself. The alert's claim makes a second ask for the same waiting account a
 * no-op that still answers 200, so the button can say "they know" either way.
 */
export async function requestRegistrationHelp(deps: AppDeps, caller: Caller, request: WriteRequest, memberId: string): Promise<AppResult<ResponseOf<'requestRegistrationHelp'>>> {
  if (memberId !== caller.id) return failure('FORBIDDEN', 'Only the person themself can ask for help with their registration.');
  const outcome = await deps.store.execute<ResponseOf<'requestRegistrationHelp'>>(caller.tenant, {
    actor: caller.id,
    idempotency: request.idempotency,
    needs: { members: [memberId] },
    decide: (state, ctx) => {
      const result = askForRegistrationHelp(state, memberId, ctx);
      if (!result.ok) return result;
      return { ok: true, value: { posting: result.value.posting, answer: { flagged: true, alreadyFlagged: false } } };
    },
  });
  if (outcome.kind === 'claim_conflict') return success({ flagged: true, alreadyFlagged: true });
  return fromOutcome(outcome);
}
