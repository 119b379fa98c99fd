import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OpeningRowToPost, RegistrationState } from '../../../src/core/ledger/index.js';
import {
  POOL_OPENING_CLAIM,
  REGISTRATION_STATES,
  checkInvariants,
  newMember,
  normalizeOpeningRow,
  openingClaim,
  openingRegistrationPath,
  parseRegistrationState,
  planOpeningBalances,
  planPoolOpening,
} from '../../../src/core/ledger/index.js';
import { detectHeaders, importPostingRecords } from '../../../src/core/usage-import/index.js';
import { Ledger, refusal, unwrap } from './helpers.js';

const HEADER = ['E-mail', 'Name', 'Own Credits Used', 'Status'];
const mapping = detectHeaders(HEADER, 'opening_balances').mapping;
const rowCtx = { mapping, columns: HEADER.length, allotment: 10_000 };
const DAY = '2026-11-02';

describe('opening-balances files', () => {
  it('are detected by their own header names, and a usage export does not read "Status" as a state', () => {
    const d = detectHeaders(HEADER, 'opening_balances');
    expect(d).toMatchObject({ format: 'opening_balances', mapping: { email: 0, name: 1, amount: 2, state: 3 }, missing: [] });
    expect(detectHeaders(['Email', 'Used'], 'opening_balances').missing).toEqual(['state']);
    expect(detectHeaders(HEADER).unknownHeaders).toContain('Status');
  });

  it('read states case-insensitively with their synonyms', () => {
    expect(['Registered', 'ACTIVE', 'pending', 'Account Created', 'not requested', 'None', 'declined', 'Left'].map(parseRegistrationState)).toEqual([
      'registered',
      'registered',
      'requested',
      'account_created',
      'not_requested',
      'not_requested',
      'declined',
      'left',
    ]);
    expect(parseRegistrationState('on holiday')).toBeNull();
  });

  it('normalise a line, or refuse it with its line and reason', () => {
    expect(normalizeOpeningRow(['A@Example.com', 'Ann', '12.5', 'active'], 2, rowCtx)).toEqual({ ok: true, row: { line: 2, email: 'a@example.com', name: 'Ann', used: 1250, state: 'registered' } });
    expect(normalizeOpeningRow(['a@example.com', '', '', 'registered'], 3, rowCtx)).toMatchObject({ ok: true, row: { used: 0 } });
    const code = (cells: string[]) => {
      const r = normalizeOpeningRow(cells, 9, rowCtx);
      return r.ok ? 'ok' : [r.problem.line, r.problem.code];
    };
    expect(code(['nope', '', '1', 'registered'])).toEqual([9, 'BAD_EMAIL']);
    expect(code(['a@example.com', '', '-1', 'registered'])).toEqual([9, 'NEGATIVE_AMOUNT']);
    expect(code(['a@example.com', '', '0.125', 'registered'])).toEqual([9, 'BAD_AMOUNT']);
    expect(code(['a@example.com', '', '100.01', 'registered'])).toEqual([9, 'OVER_ALLOTMENT']);
    expect(code(['a@example.com', '', '5', 'pending'])).toEqual([9, 'OVER_ALLOTMENT']);
    expect(code(['a@example.com', '', '5', 'asleep'])).toEqual([9, 'BAD_STATE']);
    expect(code(['a@example.com', '', '5'])).toEqual([9, 'WRONG_COLUMN_COUNT']);
  });

  it('move registrations by the usual transitions; someone registered in Credit Desk stays so', () => {
    expect(openingRegistrationPath('not_requested', 'registered', false)).toEqual(['already_registered']);
    expect(openingRegistrationPath('not_requested', 'account_created', false)).toEqual(['requested', 'account_created']);
    expect(openingRegistrationPath('not_requested', 'declined', false)).toEqual(['requested', 'declined']);
    expect(openingRegistrationPath('not_requested', 'left', false)).toEqual(['already_registered', 'left']);
    expect(openingRegistrationPath('registered', 'requested', true)).toEqual([]);
    expect(openingRegistrationPath('requested', 'not_requested', false)).toEqual([]);
  });
});

describe('planOpeningBalances', () => {
  const rows = (...r: [string, number, RegistrationState][]): OpeningRowToPost[] => r.map(([memberId, used, state], i) => ({ line: i + 2, memberId, used, state }));

  it('makes a newcomer a member in the posting that loads their row, and only when the row is loaded', () => {
    const ledger = new Ledger();
    const person = (id: string) => newMember({ id, email: `${id}@contoso.example`, displayName: id, now: '2026-11-02T09:00:00.000Z' });
    const newcomers: OpeningRowToPost[] = [
      { line: 2, memberId: 'noor', used: 3000, state: 'registered', newcomer: person('noor') },
      { line: 3, memberId: 'olly', used: 12_000, state: 'registered', newcomer: person('olly') },
    ];
    const outcome = unwrap(planOpeningBalances(ledger.state, { importId: 'i1', day: DAY, rows: newcomers, budget: { max: 98 } }, ledger.ctx()));
    expect(outcome).toMatchObject({ loaded: [{ line: 2, memberId: 'noor' }], refused: [{ line: 3, memberId: 'olly' }] });
    // Olly's row is refused (more used than they own), so nothing of Olly is written, not even a member record.
    expect(outcome.posting.joined?.map((m) => m.id)).toEqual(['noor']);
    ledger.commit(outcome.posting);
    expect(ledger.state.members['noor']).toMatchObject({ registration: { state: 'registered' }, openingBalance: { importId: 'i1', used: 3000 } });
    expect(ledger.state.members['olly']).toBeUndefined();
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
  });

  it('grants the allotment through registration and takes what was used, once per member', () => {
    const ledger = new Ledger();
    ledger.addMember('ann');
    ledger.addRegistered('bob');
    ledger.addMember('cat');
    const outcome = unwrap(planOpeningBalances(ledger.state, { importId: 'i1', day: DAY, rows: rows(['ann', 3000, 'registered'], ['bob', 2500, 'requested'], ['cat', 0, 'account_created']), budget: { max: 98 } }, ledger.ctx({ actor: 'it' })));
    expect(outcome).toMatchObject({ rowsTaken: 3, used: 5500, allotments: 1, refused: [], alreadyLoaded: [] });
    expect(outcome.posting.claims).toEqual(['ann', 'bob', 'cat'].map(openingClaim));
    expect(outcome.posting.transfers.map((t) => [t.code, t.debit, t.credit, t.amount, t.source])).toEqual([
      ['allotment_granted', 'contract', 'member:ann', 10_000, 'import:i1'],
      ['opening_balance', 'member:ann', 'usage', 3000, 'import:i1'],
      ['opening_balance', 'member:bob', 'usage', 2500, 'import:i1'],
    ]);
    expect(new Set(outcome.posting.transfers.map((t) => t.id)).size).toBe(3);
    ledger.commit(outcome.posting);
    expect(ledger.state.members['bob']?.registration.state).toBe('registered');
    expect(ledger.state.members['cat']?.registration.state).toBe('account_created');
    expect(ledger.state.balances['member:ann']).toBe(7000);
    expect(checkInvariants(ledger.snapshot())).toEqual([]);

    const again = unwrap(planOpeningBalances(ledger.state, { importId: 'i2', day: DAY, rows: rows(['ann', 3000, 'registered']), budget: { max: 98 } }, ledger.ctx()));
    expect(again).toMatchObject({ rowsTaken: 1, alreadyLoaded: [{ line: 2, memberId: 'ann' }] });
    expect(again.posting.transfers).toEqual([]);
  });

  it('refuses a member who owns less than they used, and stops at the record budget', () => {
    const ledger = new Ledger();
    for (const id of ['a', 'b', 'c', 'd']) ledger.addMember(id);
    ledger.commit(unwrap(planOpeningBalances(ledger.state, { importId: 'x', day: DAY, rows: rows(['d', 9000, 'registered']), budget: { max: 98 } }, ledger.ctx())).posting);
    const big = unwrap(planOpeningBalances(ledger.state, { importId: 'i', day: DAY, rows: rows(['a', 100, 'registered'], ['b', 100, 'registered'], ['c', 100, 'registered']), budget: { max: 12 } }, ledger.ctx()));
    expect(big.rowsTaken).toBe(2);
    expect(importPostingRecords(big.posting)).toBeLessThanOrEqual(12);
    expect(refusal(planOpeningBalances(ledger.state, { importId: 'i', day: DAY, rows: [], budget: { max: 98 } }, ledger.ctx())).code).toBe('VALIDATION_FAILED');
  });

  it('loads the pool once, as a lot with no price', () => {
    const ledger = new Ledger();
    const posting = unwrap(planPoolOpening(ledger.state, { importId: 'i', units: 25_050, day: DAY }, ledger.ctx()));
    expect(posting.claims).toEqual([POOL_OPENING_CLAIM]);
    ledger.commit(posting);
    expect(ledger.state.balances['pool']).toBe(25_050);
    expect(ledger.state.lots).toEqual([expect.objectContaining({ id: 'opening', units: 25_050, remaining: 25_050 })]);
    expect(ledger.state.lots[0]?.price).toBeUndefined();
    expect(checkInvariants(ledger.snapshot())).toEqual([]);
    expect(refusal(planPoolOpening(ledger.state, { importId: 'j', units: 100, day: DAY }, ledger.ctx())).code).toBe('INVALID_TRANSITION');
  });

  it('property: after any opening-balance batches the invariants hold and each member is loaded at most once', () => {
    const MEMBERS = ['m0', 'm1', 'm2', 'm3', 'm4'];
    const row = fc.record({ member: fc.integer({ min: 0, max: MEMBERS.length - 1 }), used: fc.integer({ min: 0, max: 12_000 }), state: fc.constantFrom(...REGISTRATION_STATES) });
    const start = fc.array(fc.constantFrom<RegistrationState>('not_requested', 'registered'), { minLength: MEMBERS.length, maxLength: MEMBERS.length });
    fc.assert(
      fc.property(start, fc.array(fc.record({ rows: fc.array(row, { minLength: 1, maxLength: 8 }), budget: fc.integer({ min: 8, max: 98 }) }), { minLength: 1, maxLength: 4 }), (starts, imports) => {
        const ledger = new Ledger();
        MEMBERS.forEach((id, i) => (starts[i] === 'registered' ? ledger.addRegistered(id) : ledger.addMember(id)));
        imports.forEach((imp, n) => {
          let left: OpeningRowToPost[] = imp.rows.map((r, i) => ({ line: i + 2, memberId: MEMBERS[r.member]!, used: r.used, state: r.state }));
          while (left.length > 0) {
            const outcome = unwrap(planOpeningBalances(ledger.state, { importId: `i${n}`, day: DAY, rows: left, budget: { max: imp.budget } }, ledger.ctx()));
            expect(outcome.rowsTaken).toBeGreaterThanOrEqual(1);
            expect(importPostingRecords(outcome.posting)).toBeLessThanOrEqual(imp.budget);
            ledger.commit(outcome.posting); // throws if a member's claim were taken twice
            left = left.slice(outcome.rowsTaken);
          }
          expect(checkInvariants(ledger.snapshot())).toEqual([]);
        });
        const openings = ledger.transfers.filter((t) => t.code === 'opening_balance');
        const perMember = new Map<string, number>();
        for (const t of openings) perMember.set(t.memberId!, (perMember.get(t.memberId!) ?? 0) + 1);
        for (const count of perMember.values()) expect(count).toBe(1);
        for (const id of MEMBERS) if (ledger.claims.has(openingClaim(id))) expect(ledger.state.members[id]?.openingBalance).toBeDefined();
      }),
      { numRuns: 150 },
    );
  });
});
