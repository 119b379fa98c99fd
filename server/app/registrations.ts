import type { ResponseOf } from '../../src/contract/index.js';
import type { Member, MemberProfile, RegistrationState } from '../../src/core/ledger/index.js';
import type { RegistrationEvent } from '../../src/core/registration/index.js';
import { newMember, withProfile } from '../../src/core/ledger/index.js';
import { applyRegistrationEvent } from '../../src/core/registration/index.js';
import type { CommandOutcome } from '../ports/ledger-store.js';
import type { AppResult, WriteRequest } from './app-result.js';
import { failure, fromOutcome, success } from './app-result.js';
import type { Caller } from './caller.js';
import { isAccountManager } from './caller.js';
import type { AppDeps } from './deps.js';
import { policyOf } from './deps.js';
import { directoryEntryOf, profileOf } from './directory.js';
import { notifyAccountCreated, notifyRequestArrived } from './notifications.js';
import { memberRecord } from './views.js';

/** A registration request and each later step answer with the member as it is now. */
type MemberAnswer = ResponseOf<'registrationEvent'>;

/** What a registration step may bring besides the event: the directory's profile, or a person never seen before. */
interface StepExtras {
  /** Brings the member's office, department and job title up to date from the directory. */
  profile?: MemberProfile | undefined;
  /** Someone Credit Desk has not seen: their member record is made in the same posting as the request. */
  newcomer?: Member | undefined;
}

async function moveRegistration(
  deps: AppDeps,
  caller: Caller,
  request: WriteRequest,
  memberId: string,
  event: RegistrationEvent | 'requested',
  reason: string | undefined,
  extras: StepExtras = {},
): Promise<AppResult<MemberAnswer>> {
  const outcome = await commitRegistration(deps, caller, request, memberId, event, reason, extras);
  // Notifications follow a write that committed now; a replayed request was notified the first time.
  if (outcome.kind === 'committed' && !outcome.replayed) {
    if (event === 'account_created') await notifyAccountCreated(deps, caller.tenant, memberId);
    else if (event === 'requested') await notifyRequestArrived(deps, caller, memberId);
  }
  return fromOutcome(outcome);
}

async function commitRegistration(
  deps: AppDeps,
  caller: Caller,
  request: WriteRequest,
  memberId: string,
  event: RegistrationEvent | 'requested',
  reason: string | undefined,
  { profile, newcomer }: StepExtras,
): Promise<CommandOutcome<MemberAnswer>> {
  const now = deps.clock.now();
  return deps.store.execute(caller.tenant, {
    actor: caller.id,
    idempotency: request.idempotency,
    needs: { members: [memberId], ...(newcomer ? { emails: [newcomer.email] } : {}) },
    decide: (loaded, ctx) => {
      // A newcomer made meanwhile (another request for them, another instance) is kept as it is.
      const joining = newcomer && !loaded.members[memberId] ? newcomer : undefined;
      const known = joining ? { ...loaded, members: { ...loaded.members, [memberId]: joining } } : loaded;
      const stored = known.members[memberId];
      const state = profile && stored ? { ...known, members: { ...known.members, [memberId]: withProfile(stored, profile).member } } : known;
      const result = applyRegistrationEvent(state, { memberId, event, ...(reason ? { reason } : {}) }, ctx);
      if (!result.ok) return result;
      if (joining) result.value.posting.joined = [joining];
      const own = state.balances[`member:${memberId}`] ?? 0;
      const granted = result.value.posting.transfers.reduce((sum, t) => sum + t.amount, 0);
      return {
        ok: true,
        value: { posting: result.value.posting, answer: { member: memberRecord(result.value.member, own + granted, ctx.policy, now) } },
      };
    },
  });
}

/** An employee asks for an Autodesk account; an account manager may raise the request for someone else. */
export async function requestRegistration(deps: AppDeps, caller: Caller, request: WriteRequest, body: { email?: string | undefined; displayName?: string | undefined }): Promise<AppResult<ResponseOf<'createRegistration'>>> {
  const forSelf = !body.email || body.email.toLowerCase() === caller.email.toLowerCase();
  if (forSelf) {
    // Fill-in only: with the directory down the request goes ahead and keeps what the member row has.
    const person = await directoryEntryOf(deps, caller.tenant, caller.id, caller.email);
    return moveRegistration(deps, caller, request, caller.id, 'requested', undefined, { profile: person ? profileOf(person) : undefined });
  }
  if (!isAccountManager(caller)) return failure('FORBIDDEN', 'Only account managers can request an account for someone else.');

  const email = body.email!.toLowerCase();
  const memberId = await deps.store.findMemberIdByEmail(caller.tenant, email);
  if (memberId) {
    const person = await directoryEntryOf(deps, caller.tenant, memberId, email);
    return moveRegistration(deps, caller, request, memberId, 'requested', undefined, { profile: person ? profileOf(person) : undefined });
  }
  // Someone Credit Desk has never seen: only the directory knows their id, so this needs it to answer
  // (DirectoryUnavailableError → 503 DIRECTORY_UNAVAILABLE; nothing is written).
  const person = await deps.directory.findByEmail(caller.tenant, email);
  if (!person) {
    return failure('NOT_FOUND', `Nobody with the address ${email} is in the directory.`, { email });
  }
  const newcomer = newMember({ id: person.id, email: person.email, displayName: body.displayName ?? person.displayName, ...profileOf(person), now: deps.clock.now().toISOString() });
  return moveRegistration(deps, caller, request, newcomer.id, 'requested', undefined, { newcomer });
}

export async function registrationEvent(deps: AppDeps, caller: Caller, request: WriteRequest, memberId: string, body: { type: RegistrationEvent; reason?: string | undefined }): Promise<AppResult<ResponseOf<'registrationEvent'>>> {
  const own = memberId === caller.id;
  if (!isAccountManager(caller) && !(own && body.type === 'completed')) {
    return failure('FORBIDDEN', own ? 'Only an account manager can record this step.' : 'Only account managers can change someone else\'s registration.');
  }
  return moveRegistration(deps, caller, request, memberId, body.type, body.reason);
}

export async function listRegistrations(deps: AppDeps, caller: Caller, query: { state?: RegistrationState | undefined; cursor?: string | undefined; limit?: number | undefined }): Promise<AppResult<ResponseOf<'listRegistrations'>>> {
  const [page, policy] = await Promise.all([
    deps.store.listMembers(caller.tenant, { state: query.state }, { cursor: query.cursor, limit: query.limit }),
    policyOf(deps, caller.tenant),
  ]);
  const now = deps.clock.now();
  return success({ items: page.items.map(({ member, own }) => memberRecord(member, own, policy, now)), nextCursor: page.nextCursor });
}

export async function listMembers(deps: AppDeps, caller: Caller, query: { cursor?: string | undefined; limit?: number | undefined }): Promise<AppResult<ResponseOf<'listMembers'>>> {
  return listRegistrations(deps, caller, query);
}
