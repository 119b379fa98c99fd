import { describe, expect, it } from 'vitest';
import type { RegistrationState } from '../../../src/core/ledger/index.js';
import type { RegistrationEvent } from '../../../src/core/registration/index.js';
import {
  REGISTRATION_STATES,
  applyPosting,
  checkInvariants,
  emptyLedgerState,
  ownBalance,
} from '../../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import {
  REGISTRATION_EVENTS,
  allowedRegistrationEvents,
  applyRegistrationEvent,
  isStuck,
} from '../../../src/core/registration/index.js';
import { Ledger, MANAGER, NOW, ctx, memberIn, policyWith, refusal, unwrap } from './helpers.js';

/** DESIGN 3.3, written out independently of the code: event -> (from state -> to state). */
const EXPECTED: Record<RegistrationEvent, Partial<Record<RegistrationState, RegistrationState>>> = {
  requested: { not_requested: 'requested', declined: 'requested' },
  account_created: { requested: 'account_created' },
  already_registered: { not_requested: 'registered', requested: 'registered', account_created: 'registered', declined: 'registered' },
  declined: { requested: 'declined', account_created: 'declined' },
  completed: { account_created: 'registered' },
  left: { not_requested: 'left', requested: 'left', account_created: 'left', registered: 'left', declined: 'left' },
};

const cases = REGISTRATION_STATES.flatMap((from) => REGISTRATION_EVENTS.map((event) => ({ from, event, to: EXPECTED[event][from] })));

function stateWith(memberId: string, from: RegistrationState, extra = {}) {
  const state = emptyLedgerState();
  state.members[memberId] = memberIn(memberId, from, extra);
  return state;
}

describe('registration state machine: every event from every state', () => {
  it('covers all 36 combinations', () => {
    expect(cases).toHaveLength(REGISTRATION_STATES.length * REGISTRATION_EVENTS.length);
    expect(cases).toHaveLength(36);
  });

  it.each(cases.filter((c) => c.to))('$from --$event--> $to succeeds and records who and when', ({ from, event, to }) => {
    const state = stateWith('bob', from);
    const reason = event === 'declined' ? 'not an employee' : undefined;
    const { posting, member } = unwrap(applyRegistrationEvent(state, { memberId: 'bob', event, ...(reason ? { reason } : {}) }, ctx('r1')));
    expect(member.registration.state).toBe(to);
    expect(member.registration.since).toBe(NOW);
    expect(member.registration.history.at(-1)).toEqual({ event, state: to, at: NOW, by: MANAGER, ...(reason ? { reason } : {}) });
    expect(posting.members).toEqual([member]);
    const after = applyPosting(state, posting);
    expect(after.members['bob']?.registration.state).toBe(to);
    // Reaching registered grants the allotment (bob has none yet); nothing else moves credits.
    if (to === 'registered') {
      expect(posting.transfers.map((t) => [t.code, t.debit, t.credit, t.amount])).toEqual([['allotment_granted', 'contract', 'member:bob', 10_000]]);
      expect(member.allotmentGrantedAt).toBe(NOW);
      expect(ownBalance(after, 'bob')).toBe(10_000);
    } else {
      expect(posting.transfers).toEqual([]);
      expect(member.allotmentGrantedAt).toBeUndefined();
    }
  });

  it.each(cases.filter((c) => !c.to))('$from --$event--> is INVALID_TRANSITION and changes nothing', ({ from, event }) => {
    const state = stateWith('bob', from);
    const before = structuredClone(state);
    const error = refusal(applyRegistrationEvent(state, { memberId: 'bob', event, reason: 'some reason' }, ctx('r1')));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.details).toMatchObject({ from, event });
    expect(error.details?.['allowed']).toEqual(REGISTRATION_EVENTS.filter((e) => EXPECTED[e][from]));
    expect(state).toEqual(before);
  });

  it('lists the allowed events of each state', () => {
    for (const s of REGISTRATION_STATES) {
      expect(allowedRegistrationEvents(s)).toEqual(REGISTRATION_EVENTS.filter((e) => EXPECTED[e][s]));
    }
    expect(allowedRegistrationEvents('left')).toEqual([]);
  });

  it('refuses an unknown member with NOT_FOUND', () => {
    expect(refusal(applyRegistrationEvent(emptyLedgerState(), { memberId: 'ghost', event: 'requested' }, ctx('r1'))).code).toBe('NOT_FOUND');
  });
});

describe('registration: requests', () => {
  it('a person asking for themself has no requestedBy', () => {
    const state = stateWith('bob', 'not_requested');
    const { member } = unwrap(applyRegistrationEvent(state, { memberId: 'bob', event: 'requested' }, ctx('r1', { actor: 'bob' })));
    expect(member.registration.state).toBe('requested');
    expect(member.registration.requestedBy).toBeUndefined();
    expect(member.registration.history).toEqual([{ event: 'requested', state: 'requested', at: NOW, by: 'bob' }]);
  });

  it('a manager raising the request on someone’s behalf is recorded as requestedBy, kept through later steps', () => {
    let state = stateWith('bob', 'not_requested');
    const step = (event: RegistrationEvent, actor: string, now: string) => {
      const { posting, member } = unwrap(applyRegistrationEvent(state, { memberId: 'bob', event }, ctx(`r-${event}`, { actor, now })));
      state = applyPosting(state, posting);
      return member;
    };
    expect(step('requested', MANAGER, '2026-11-02T10:00:00.000Z').registration.requestedBy).toBe(MANAGER);
    expect(step('account_created', 'manager-2', '2026-11-03T10:00:00.000Z').registration.requestedBy).toBe(MANAGER);
    const done = step('completed', 'bob', '2026-11-04T10:00:00.000Z');
    expect(done.registration.requestedBy).toBe(MANAGER);
    expect(done.registration.history).toEqual([
      { event: 'requested', state: 'requested', at: '2026-11-02T10:00:00.000Z', by: MANAGER },
      { event: 'account_created', state: 'account_created', at: '2026-11-03T10:00:00.000Z', by: 'manager-2' },
      { event: 'completed', state: 'registered', at: '2026-11-04T10:00:00.000Z', by: 'bob' },
    ]);
    expect(done.allotmentGrantedAt).toBe('2026-11-04T10:00:00.000Z');
  });
});

describe('registration: declined', () => {
  it.each([undefined, '', '   '])('needs a reason (got %j) and changes nothing', (reason) => {
    const state = stateWith('bob', 'requested');
    const before = structuredClone(state);
    const error = refusal(applyRegistrationEvent(state, { memberId: 'bob', event: 'declined', ...(reason !== undefined ? { reason } : {}) }, ctx('r1')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual({ field: 'reason' });
    expect(state).toEqual(before);
  });

  it('stores the trimmed reason, and the person may request again', () => {
    let state = stateWith('bob', 'requested');
    const declined = unwrap(applyRegistrationEvent(state, { memberId: 'bob', event: 'declined', reason: '  contractor, not staff  ' }, ctx('r1')));
    expect(declined.member.registration.state).toBe('declined');
    expect(declined.member.registration.reason).toBe('contractor, not staff');
    expect(declined.member.registration.history.at(-1)?.reason).toBe('contractor, not staff');
    state = applyPosting(state, declined.posting);
    const again = unwrap(applyRegistrationEvent(state, { memberId: 'bob', event: 'requested' }, ctx('r2', { actor: 'bob' })));
    expect(again.member.registration.state).toBe('requested');
    expect(again.member.registration.history.map((h) => h.event)).toEqual(['declined', 'requested']);
  });
});

describe('registration: the allotment', () => {
  it('is granted once on completed, in the same posting, from the contract', () => {
    const ledger = new Ledger();
    ledger.addMember('bob', 'Leeds');
    for (const event of ['requested', 'account_created'] as const) {
      const { posting } = unwrap(applyRegistrationEvent(ledger.state, { memberId: 'bob', event }, ledger.ctx()));
      expect(posting.transfers).toEqual([]);
      ledger.commit(posting);
    }
    const c = ledger.ctx({ actor: 'bob' });
    const { posting, member } = unwrap(applyRegistrationEvent(ledger.state, { memberId: 'bob', event: 'completed' }, c));
    expect(posting.transfers).toEqual([
      {
        id: `${c.postingId}.00`,
        postingId: c.postingId,
        debit: 'contract',
        credit: 'member:bob',
        amount: 10_000,
        code: 'allotment_granted',
        memberId: 'bob',
        office: 'Leeds',
        source: 'self',
        actor: 'bob',
        at: NOW,
      },
    ]);
    expect(member.allotmentGrantedAt).toBe(NOW);
    ledger.commit(posting);
    expect(ownBalance(ledger.state, 'bob')).toBe(10_000);
    expect(ledger.state.balances['contract']).toBe(-10_000);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('is granted on already_registered, with source manager when a manager acts', () => {
    const state = stateWith('bob', 'not_requested');
    const { posting } = unwrap(applyRegistrationEvent(state, { memberId: 'bob', event: 'already_registered' }, ctx('r1')));
    expect(posting.transfers).toHaveLength(1);
    expect(posting.transfers[0]).toMatchObject({ code: 'allotment_granted', amount: 10_000, source: 'manager', actor: MANAGER });
  });

  it('is never granted twice: registered -> left grants nothing and the allotment date stays', () => {
    const ledger = new Ledger();
    ledger.addRegistered('bob');
    const granted = ledger.state.members['bob']?.allotmentGrantedAt;
    expect(granted).toBe(NOW);
    const { posting, member } = unwrap(
      applyRegistrationEvent(ledger.state, { memberId: 'bob', event: 'left' }, ledger.ctx({ now: '2027-01-01T00:00:00.000Z' })),
    );
    expect(posting.transfers).toEqual([]);
    expect(member.allotmentGrantedAt).toBe(granted);
    ledger.commit(posting);
    expect(ownBalance(ledger.state, 'bob')).toBe(10_000); // stranded, not moved
    expect(refusal(applyRegistrationEvent(ledger.state, { memberId: 'bob', event: 'already_registered' }, ledger.ctx())).code).toBe('INVALID_TRANSITION');
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it.each(['completed', 'already_registered'] as const)(
    'is not granted again on %s to a member who already has allotmentGrantedAt',
    (event) => {
      const from: RegistrationState = event === 'completed' ? 'account_created' : 'declined';
      const state = stateWith('bob', from, { allotmentGrantedAt: '2025-01-01T00:00:00.000Z' });
      const { posting, member } = unwrap(applyRegistrationEvent(state, { memberId: 'bob', event }, ctx('r1')));
      expect(member.registration.state).toBe('registered');
      expect(posting.transfers).toEqual([]);
      expect(member.allotmentGrantedAt).toBe('2025-01-01T00:00:00.000Z');
    },
  );

  it('grants nothing under a policy with allotment 0 (Flex mode)', () => {
    const state = stateWith('bob', 'account_created');
    const { posting, member } = unwrap(
      applyRegistrationEvent(state, { memberId: 'bob', event: 'completed' }, ctx('r1', { policy: policyWith({ individualAllotment: 0 }) })),
    );
    expect(member.registration.state).toBe('registered');
    expect(posting.transfers).toEqual([]);
    expect(member.allotmentGrantedAt).toBeUndefined();
  });

  it('grants the policy’s allotment in units', () => {
    const state = stateWith('bob', 'account_created');
    const { posting } = unwrap(
      applyRegistrationEvent(state, { memberId: 'bob', event: 'completed' }, ctx('r1', { policy: policyWith({ individualAllotment: 12.5 }) })),
    );
    expect(posting.transfers.map((t) => t.amount)).toEqual([1250]);
  });
});

describe('registration: stuck', () => {
  // 2026-11-02 is a Monday; 2026-11-06 a Friday.
  const inAccountCreated = (since: string) => {
    const m = memberIn('bob', 'account_created');
    return { ...m, registration: { ...m.registration, since } };
  };

  it.each([
    ['2026-11-02T10:00:00.000Z', '2026-11-02T18:00:00.000Z', false], // same day
    ['2026-11-02T10:00:00.000Z', '2026-11-03T10:00:00.000Z', false], // one working day
    ['2026-11-02T10:00:00.000Z', '2026-11-04T10:00:00.000Z', true], // two working days
    ['2026-11-06T10:00:00.000Z', '2026-11-08T23:00:00.000Z', false], // Fri -> Sun: the weekend does not count
    ['2026-11-06T10:00:00.000Z', '2026-11-09T10:00:00.000Z', false], // Fri -> Mon: one
    ['2026-11-06T10:00:00.000Z', '2026-11-10T10:00:00.000Z', true], // Fri -> Tue: two
  ])('account_created since %s, at %s: stuck = %s', (since, now, stuck) => {
    expect(isStuck(inAccountCreated(since), now, DEFAULT_POLICY)).toBe(stuck);
  });

  it('does not count holidays', () => {
    const policy = policyWith({ holidays: ['2026-11-09'] });
    expect(isStuck(inAccountCreated('2026-11-06T10:00:00.000Z'), '2026-11-10T10:00:00.000Z', policy)).toBe(false);
    expect(isStuck(inAccountCreated('2026-11-06T10:00:00.000Z'), '2026-11-11T10:00:00.000Z', policy)).toBe(true);
  });

  it('follows a configured number of days', () => {
    const policy = policyWith({ stuckAfterWorkingDays: 5 });
    expect(isStuck(inAccountCreated('2026-11-02T10:00:00.000Z'), '2026-11-06T10:00:00.000Z', policy)).toBe(false);
    expect(isStuck(inAccountCreated('2026-11-02T10:00:00.000Z'), '2026-11-09T10:00:00.000Z', policy)).toBe(true);
  });

  it.each(REGISTRATION_STATES.filter((s) => s !== 'account_created'))('is never stuck in state %s', (s) => {
    const m = memberIn('bob', s);
    expect(isStuck({ ...m, registration: { ...m.registration, since: '2026-01-01T00:00:00.000Z' } }, NOW, DEFAULT_POLICY)).toBe(false);
  });

  it('counts from when the account was created (the step stamps since)', () => {
    const state = stateWith('bob', 'requested');
    const { member } = unwrap(
      applyRegistrationEvent(state, { memberId: 'bob', event: 'account_created' }, ctx('r1', { now: '2026-11-02T10:00:00.000Z' })),
    );
    expect(isStuck(member, '2026-11-03T10:00:00.000Z', DEFAULT_POLICY)).toBe(false);
    expect(isStuck(member, '2026-11-04T10:00:00.000Z', DEFAULT_POLICY)).toBe(true);
  });
});
