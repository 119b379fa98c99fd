import { memberAccount } from '../ledger/accounts.js';
import type { LedgerState, Posting, PostingContext } from '../ledger/ledger-state.js';
import { emptyPosting, transferId } from '../ledger/ledger-state.js';
import type { Member, RegistrationState } from '../ledger/member.js';
import { creditsToUnits } from '../ledger/money.js';
import type { Policy } from '../policy/policy.js';
import { workingDaysBetween } from '../policy/policy.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';

export const REGISTRATION_EVENTS = ['requested', 'account_created', 'already_registered', 'declined', 'completed', 'left'] as const;
export type RegistrationEvent = (typeof REGISTRATION_EVENTS)[number];

/** From which states each event may happen, and where it leads. */
const TRANSITIONS: Record<RegistrationEvent, { from: readonly RegistrationState[]; to: RegistrationState }> = {
  requested: { from: ['not_requested', 'declined'], to: 'requested' },
  account_created: { from: ['requested'], to: 'account_created' },
  already_registered: { from: ['not_requested', 'requested', 'account_created', 'declined'], to: 'registered' },
  declined: { from: ['requested', 'account_created'], to: 'declined' },
  completed: { from: ['account_created'], to: 'registered' },
  left: { from: ['not_requested', 'requested', 'account_created', 'registered', 'declined'], to: 'left' },
};

/** The state an event leads to. */
export function registrationEventTarget(event: RegistrationEvent): RegistrationState {
  return TRANSITIONS[event].to;
}

export function allowedRegistrationEvents(state: RegistrationState): RegistrationEvent[] {
  return REGISTRATION_EVENTS.filter((e) => TRANSITIONS[e].from.includes(state));
}

export interface RegistrationEventInput {
  memberId: string;
  event: RegistrationEvent;
  reason?: string;
}

/**
 * Moves a member's registration one step. Reaching `registered` grants the individual allotment in the
 * same posting, at most once per member.
 */
export function applyRegistrationEvent(
  state: LedgerState,
  input: RegistrationEventInput,
  ctx: PostingContext,
): Result<{ posting: Posting; member: Member }> {
  const member = state.members[input.memberId];
  if (!member) return fail('NOT_FOUND', `No member ${input.memberId}.`);
  const transition = TRANSITIONS[input.event];
  const from = member.registration.state;
  if (!transition.from.includes(from)) {
    return fail('INVALID_TRANSITION', `A registration in state "${from}" cannot take "${input.event}".`, {
      from,
      event: input.event,
      allowed: allowedRegistrationEvents(from),
    });
  }
  if (input.event === 'declined' && !input.reason?.trim()) {
    return fail('VALIDATION_FAILED', 'Declining needs a reason the person can act on.', { field: 'reason' });
  }

  const reason = input.reason?.trim();
  // A request raised by someone else (an account manager, from an email) records who raised it.
  const requestedBy =
    input.event === 'requested' ? (ctx.actor !== member.id ? ctx.actor : undefined) : member.registration.requestedBy;
  const next: Member = {
    ...member,
    registration: {
      state: transition.to,
      since: ctx.now,
      history: [
        ...member.registration.history,
        { event: input.event, state: transition.to, at: ctx.now, by: ctx.actor, ...(reason ? { reason } : {}) },
      ],
      ...(requestedBy ? { requestedBy } : {}),
      ...(reason ? { reason } : {}),
    },
  };

  const posting = emptyPosting(ctx.postingId);
  const allotment = creditsToUnits(ctx.policy.individualAllotment);
  if (transition.to === 'registered' && !member.allotmentGrantedAt && allotment > 0) {
    next.allotmentGrantedAt = ctx.now;
    posting.transfers.push({
      id: transferId(ctx.postingId, 0),
      postingId: ctx.postingId,
      debit: 'contract',
      credit: memberAccount(member.id),
      amount: allotment,
      code: 'allotment_granted',
      memberId: member.id,
      ...(member.office ? { office: member.office } : {}),
      source: ctx.actor === member.id ? 'self' : 'manager',
      actor: ctx.actor,
      at: ctx.now,
    });
  }
  posting.members.push(next);
  return ok({ posting, member: next });
}

/** A person whose account was created but who has not completed registration for too long. */
export function isStuck(member: { registration: Pick<Member['registration'], 'state' | 'since'> }, now: string, policy: Pick<Policy, 'workingDays' | 'holidays' | 'stuckAfterWorkingDays'>): boolean {
  return (
    member.registration.state === 'account_created' &&
    workingDaysBetween(policy, member.registration.since, now) >= policy.stuckAfterWorkingDays
  );
}
