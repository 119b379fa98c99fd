import { describe, expect, it } from 'vitest';
import { emptyLedgerState } from '../../../src/core/ledger/index.js';
import { askForRegistrationHelp, registrationHelpClaim } from '../../../src/core/registration/index.js';
import { NOW, ctx, memberIn, refusal, unwrap } from './helpers.js';

const stateWith = (member: ReturnType<typeof memberIn>, pool = 0) => ({ ...emptyLedgerState(), members: { [member.id]: member }, balances: { pool } });

describe('asking for help with the Autodesk email', () => {
  it('raises a stuck-registration alert naming the person, claimed once per waiting account', () => {
    const member = memberIn('m1', 'account_created', { office: 'Denver' });
    const { posting } = unwrap(askForRegistrationHelp(stateWith(member, 1234), 'm1', ctx('p1', { actor: 'm1' })));
    expect(posting.claims).toEqual([registrationHelpClaim('m1', member.registration.since)]);
    expect(posting.claims[0]).toBe(`help|m1|${member.registration.since}`);
    expect(posting.events).toEqual([
      {
        id: 'p1.e0',
        postingId: 'p1',
        kind: 'alert_registration_stuck',
        at: NOW,
        actor: 'm1',
        memberId: 'm1',
        memberName: 'Name m1',
        office: 'Denver',
        poolAfter: 1234,
        message: 'Name m1 could not find the Autodesk email and asked for help.',
      },
    ]);
    expect(posting.transfers).toEqual([]);
    // The time they asked stays on their registration, for the account managers' Requests row.
    expect(posting.members).toEqual([{ ...member, registration: { ...member.registration, helpAskedAt: NOW } }]);
  });

  it('claims differently for a later account of the same person', () => {
    expect(registrationHelpClaim('m1', '2026-10-01T09:00:00.000Z')).not.toBe(registrationHelpClaim('m1', '2026-11-01T09:00:00.000Z'));
  });

  it('refuses outside account_created, and for an unknown member', () => {
    for (const state of ['not_requested', 'requested', 'declined', 'registered', 'left'] as const) {
      const error = refusal(askForRegistrationHelp(stateWith(memberIn('m1', state)), 'm1', ctx('p1')));
      expect(error.code, state).toBe('INVALID_TRANSITION');
      expect(error.details).toMatchObject({ from: state, allowedIn: ['account_created'] });
    }
    expect(refusal(askForRegistrationHelp(emptyLedgerState(), 'nobody', ctx('p1'))).code).toBe('NOT_FOUND');
  });
});
