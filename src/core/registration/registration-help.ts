import type { LedgerState, Posting, PostingContext } from '../ledger/ledger-state.js';
import { balanceOf, emptyPosting, eventId } from '../ledger/ledger-state.js';
import type { Member } from '../ledger/member.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';

/**
 * The claim a help request makes: one per member and registration step, so asking again while the same
 * account is waiting raises nothing new, and a later account (a new `since`) can ask again.
 */
export function registrationHelpClaim(memberId: string, since: string): string {
  return `help|${memberId}|${since}`;
}

/**
 * A person whose Autodesk account exists could not find the invitation email and asks the account
 * managers for help: a registration-stuck alert in the feed, named after them, and the time they asked on
 * their registration (the managers' Requests row shows it). Only while the account is created and not yet
 * registered.
 */
export function askForRegistrationHelp(state: LedgerState, memberId: string, ctx: PostingContext): Result<{ posting: Posting; member: Member }> {
  const member = state.members[memberId];
  if (!member) return fail('NOT_FOUND', `No member ${memberId}.`);
  const from = member.registration.state;
  if (from !== 'account_created') {
    return fail('INVALID_TRANSITION', `Help with the Autodesk email applies once the account is created and until registration is complete; this registration is "${from}".`, {
      from,
      event: 'help_requested',
      allowedIn: ['account_created'],
    });
  }
  const next: Member = { ...member, registration: { ...member.registration, helpAskedAt: ctx.now } };
  const posting = emptyPosting(ctx.postingId);
  posting.members.push(next);
  posting.claims.push(registrationHelpClaim(member.id, member.registration.since));
  posting.events.push({
    id: eventId(ctx.postingId, 0),
    postingId: ctx.postingId,
    kind: 'alert_registration_stuck',
    at: ctx.now,
    actor: ctx.actor,
    memberId: member.id,
    memberName: member.displayName,
    ...(member.office ? { office: member.office } : {}),
    poolAfter: balanceOf(state, 'pool'),
    message: `${member.displayName} could not find the Autodesk email and asked for help.`,
  });
  return ok({ posting, member: next });
}
