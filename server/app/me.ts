import { emptyPosting, isRegistered, newMember, unitsToCredits } from '../../src/core/ledger/index.js';
import type { MeResponse, ResponseOf } from '../../src/contract/index.js';
import type { AppResult } from './app-result.js';
import { failure, success } from './app-result.js';
import type { Caller } from './caller.js';
import type { AppDeps } from './deps.js';
import { directoryEntryOf, profileOf } from './directory.js';

/**
 * Creates the caller's member row on their first authenticated call, from the token's name and email.
 * The token has no office, department or job title; the directory does, and reports need them. When the
 * directory cannot answer, the row is made without them (the daily refresh fills them in later). Written
 * by a command through the group committer, once per person (one idempotency key each): two first calls
 * at once make one row.
 */
export async function ensureCallerMember(deps: AppDeps, caller: Caller): Promise<void> {
  if (await deps.store.getMember(caller.tenant, caller.id)) return;
  const person = await directoryEntryOf(deps, caller.tenant, caller.id, caller.email);
  const member = newMember({ id: caller.id, email: caller.email, displayName: caller.displayName, ...profileOf(person), now: deps.clock.now().toISOString() });
  await deps.store.execute(caller.tenant, {
    actor: caller.id,
    // A key no request can send (Idempotency-Key takes no '|'), so it never meets one of the person's own.
    idempotency: { caller: caller.id, key: 'member|first-call', fingerprint: 'member' },
    needs: { members: [member.id], emails: [member.email] },
    decide: (state, ctx) => {
      const posting = emptyPosting(ctx.postingId);
      // Made meanwhile (another instance's first call): kept as it is.
      if (!state.members[member.id]) posting.joined = [member];
      return { ok: true, value: { posting, answer: null } };
    },
  });
}

/**
 * The caller's figures. Held credits (DESIGN 3.5) have left the own account and the pool already, so own
 * and pool are what is free and `available` is their sum; `held` is what the person's open holds reserve.
 */
export async function getMe(deps: AppDeps, caller: Caller): Promise<AppResult<ResponseOf<'me'>>> {
  const [found, pool] = await Promise.all([deps.store.getMember(caller.tenant, caller.id), deps.store.getBalance(caller.tenant, 'pool')]);
  if (!found) return failure('NOT_FOUND', 'Your member record is missing; sign in again.');
  const { member, own } = found;
  const registered = isRegistered(member);
  // Own credits reserved by a hold are still the person's: they come back before any pool draw.
  const ownHeld = member.held > 0 ? (await deps.store.listHolds(caller.tenant, { memberId: member.id, state: 'held' }, { limit: 200 })).items.reduce((a, h) => a + h.fromOwn, 0) : 0;
  const body: MeResponse = {
    member: { id: member.id, email: member.email, displayName: member.displayName, office: member.office ?? null },
    registration: { state: member.registration.state, since: member.registration.since },
    credits: {
      own: unitsToCredits(own),
      pool: unitsToCredits(pool),
      held: unitsToCredits(member.held),
      available: registered ? unitsToCredits(Math.max(own, 0) + Math.max(pool, 0)) : 0,
    },
    mayDrawFromPool: registered && own + ownHeld <= 0,
    roles: [...caller.roles],
  };
  return success(body);
}
