import { describe, expect, it } from 'vitest';
import type { MemberLookupResponse, MemberRecord } from '../../../src/contract/schemas.js';
import type { RegistrationState } from '../../../src/core/ledger/member.js';
import { situationOf } from '../../../src/addin/registration/person-situation.js';

const record = (state: RegistrationState): MemberRecord => ({
  member: { id: 'm1', email: 'uma@contoso.example', displayName: 'Uma', office: 'Seattle' },
  registration: { state, since: '2026-11-20T10:00:00Z', requestedBy: null, reason: null, stuck: false, history: [] },
  credits: { own: 0, held: 0, poolDrawn: 0 },
  allotmentGrantedAt: null,
});
const person = { id: 'm1', displayName: 'Uma Newhire', email: 'uma@contoso.example', office: 'Seattle', department: null, jobTitle: 'Designer' };
const lookup = (member: MemberRecord | null, status: MemberLookupResponse['directory']['status']): MemberLookupResponse => ({
  email: 'uma@contoso.example',
  member,
  directory: { status, person: status === 'found' ? person : null },
});

describe('what the pane offers for a person', () => {
  it('offers the steps that fit the registration state', () => {
    const steps = (state: RegistrationState) => {
      const s = situationOf(lookup(record(state), 'found'));
      return s.kind === 'member' ? { events: s.events, mayRequest: s.mayRequest } : s.kind;
    };
    expect(steps('not_requested')).toEqual({ events: ['already_registered'], mayRequest: true });
    expect(steps('requested')).toEqual({ events: ['account_created', 'already_registered', 'declined'], mayRequest: false });
    expect(steps('account_created')).toEqual({ events: ['already_registered', 'declined'], mayRequest: false });
    expect(steps('declined')).toEqual({ events: ['already_registered'], mayRequest: true });
    expect(steps('registered')).toEqual({ events: [], mayRequest: false });
    expect(steps('left')).toEqual({ events: [], mayRequest: false });
  });

  it('tells apart someone only the directory knows, an unknown address, and a directory that is down', () => {
    expect(situationOf(lookup(null, 'found'))).toEqual({ kind: 'directory_only', person });
    expect(situationOf(lookup(null, 'not_found'))).toEqual({ kind: 'unknown' });
    expect(situationOf(lookup(null, 'unavailable'))).toEqual({ kind: 'directory_down' });
    const member = situationOf(lookup(record('requested'), 'unavailable'));
    expect(member.kind === 'member' && member.inDirectory).toBeNull();
    const gone = situationOf(lookup(record('requested'), 'not_found'));
    expect(gone.kind === 'member' && gone.inDirectory).toBe(false);
  });
});
