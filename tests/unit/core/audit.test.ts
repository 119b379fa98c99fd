import { describe, expect, it } from 'vitest';
import { auditEntryOf, emptyPosting } from '../../../src/core/ledger/index.js';
import type { Member } from '../../../src/core/ledger/index.js';
import type { Purchase } from '../../../src/core/purchases/index.js';

const ctx = { now: '2026-11-27T10:00:00.000Z', actor: 'riley' };

describe('audit entries', () => {
  it('say nothing for a posting that changes nothing', () => {
    expect(auditEntryOf(emptyPosting('p1'), ctx)).toBeUndefined();
  });

  it('name every transfer, member, purchase and settings change of a posting, in credits', () => {
    const posting = emptyPosting('p2');
    posting.transfers.push({ id: 'p2.00', postingId: 'p2', debit: 'pool', credit: 'usage', amount: 1250, code: 'usage_pool', memberId: 'm1', source: 'self', actor: 'm1', at: ctx.now });
    // m1 only carries the transfer's balance; m2's registration moved in this posting; m3's office changed.
    posting.members.push({ id: 'm1', email: 'a@x', displayName: 'Avery', registration: { state: 'registered', since: '2026-01-01T00:00:00.000Z' } } as Member);
    posting.members.push({ id: 'm2', email: 'b@x', displayName: 'Blake', registration: { state: 'account_created', since: ctx.now } } as Member);
    posting.members.push({ id: 'm3', email: 'c@x', displayName: 'Casey', registration: { state: 'registered', since: '2026-01-01T00:00:00.000Z' } } as Member);
    posting.purchases.push({ id: 'u1', blocks: 3, state: 'ordered' } as Purchase);
    posting.policy = {} as never;
    expect(auditEntryOf(posting, ctx)).toEqual({
      id: 'p2',
      at: ctx.now,
      actor: 'riley',
      changes: [
        { kind: 'transfer', transferId: 'p2.00', code: 'usage_pool', credits: 12.5, memberId: 'm1', reverses: null },
        { kind: 'member', memberId: 'm2', name: 'Blake', registrationState: 'account_created', what: 'registration' },
        { kind: 'member', memberId: 'm3', name: 'Casey', registrationState: 'registered', what: 'details' },
        { kind: 'purchase', purchaseId: 'u1', blocks: 3, state: 'ordered' },
        { kind: 'settings' },
      ],
    });
  });
});
