import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImportRowToPost } from '../../../../src/core/usage-import/index.js';
import { checkInvariants, planUsage } from '../../../../src/core/ledger/index.js';
import { dayString } from '../../../../src/core/policy/index.js';
import {
  importPostingRecords,
  planImportBatch,
  planImportCompletion,
  provisionalFrom,
  unconfirmedProvisional,
} from '../../../../src/core/usage-import/index.js';
import { Ledger, unwrap } from '../helpers.js';

const MEMBERS = ['m0', 'm1', 'm2', 'm3'] as const;
const SERVICES = ['simulation', 'cloud_rendering'] as const;
const FIRST_DAY = 20_600; // 2026-05-26

type Command =
  | { kind: 'purchase'; blocks: number }
  | { kind: 'self'; member: number; credits: number; day: number; service: number }
  | { kind: 'import'; rows: { member: number; credits: number; day: number; service: number }[]; budget: number; chars: number; window: number };

const member = fc.integer({ min: 0, max: MEMBERS.length - 1 });
const service = fc.integer({ min: 0, max: SERVICES.length - 1 });
const day = fc.integer({ min: 0, max: 10 });
const credits = fc.integer({ min: 1, max: 150 });

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('purchase' as const), blocks: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('self' as const), member, credits: fc.integer({ min: 1, max: 60 }), day, service }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('import' as const),
      rows: fc.array(fc.record({ member, credits, day, service }), { minLength: 1, maxLength: 25 }),
      budget: fc.oneof(fc.integer({ min: 20, max: 30 }), fc.integer({ min: 20, max: 99 })),
      // Enough for one row's transfers (a reversal, a hold release and draws from three lots), often less than all of them.
      chars: fc.integer({ min: 3_000, max: 20_000 }),
      window: fc.integer({ min: 0, max: 5 }),
    }),
  },
);

describe('usage import properties', () => {
  it('after any sequence of imports and self-logged usage the ledger stays sound and nothing is counted twice', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 25 }), fc.integer({ min: 2, max: MEMBERS.length }), (commands, registered) => {
        const ledger = new Ledger();
        MEMBERS.forEach((id, i) => (i < registered ? ledger.addRegistered(id) : ledger.addMember(id)));
        let purchases = 0;
        let imported = 0;
        let imports = 0;
        let rowSeq = 0;

        for (const c of commands) {
          if (c.kind === 'purchase') {
            // At most three lots: a single row then always fits the smallest budget.
            if (purchases < 3) ledger.applyPurchase(`buy${purchases++}`, c.blocks);
          } else if (c.kind === 'self') {
            const id = MEMBERS[c.member] ?? 'm0';
            const result = planUsage(ledger.state, { memberId: id, amount: c.credits * 100, service: SERVICES[c.service] ?? 'other', date: dayString(FIRST_DAY + c.day), source: 'self' }, ledger.ctx({ actor: id }));
            if (result.ok) ledger.commit(result.value.posting);
          } else {
            const importId = `imp${imports++}`;
            const rows: ImportRowToPost[] = [...c.rows]
              .sort((a, b) => a.member - b.member || a.day - b.day)
              .map((r) => ({ rowId: `r${rowSeq++}-0`, line: rowSeq + 1, memberId: MEMBERS[r.member] ?? 'm0', date: dayString(FIRST_DAY + r.day), service: SERVICES[r.service] ?? 'other', amount: r.credits * 100 }));
            const before = provisionalFrom(ledger.transfers);
            const settled = new Set<string>();
            let left = rows;
            let fromPool = 0;
            while (left.length > 0) {
              const outcome = unwrap(planImportBatch(ledger.state, { importId, rows: left, provisional: provisionalFrom(ledger.transfers), settleWindowDays: c.window, budget: { max: c.budget, chars: c.chars } }, ledger.ctx()));
              expect(outcome.rowsTaken).toBeGreaterThanOrEqual(1);
              expect(importPostingRecords(outcome.posting)).toBeLessThanOrEqual(c.budget);
              expect(outcome.posting.transfers.reduce((sum, t) => sum + JSON.stringify(t).length + 1, 0)).toBeLessThanOrEqual(c.chars);
              ledger.commit(outcome.posting);
              for (const s of outcome.settled) settled.add(s.provisionalPostingId);
              fromPool += outcome.fromPool;
              left = left.slice(outcome.rowsTaken);
            }
            const amount = rows.reduce((s, r) => s + r.amount, 0);
            imported += amount;
            const dates = rows.map((r) => r.date).sort();
            const unconfirmed = unconfirmedProvisional(before, settled, { from: dates[0] ?? '', to: dates.at(-1) ?? '' });
            ledger.commit(planImportCompletion(ledger.state, { importId, fileName: 'f.csv', rowsPosted: rows.length, amount, fromPool, settled: settled.size, unconfirmed }, ledger.ctx()));
            // The completion raised the alert a negative pool needs: every invariant holds.
            expect(checkInvariants(ledger.snapshot())).toEqual([]);
          }
        }

        expect(checkInvariants(ledger.snapshot())).toEqual([]);
        const balances = Object.values(ledger.state.balances);
        expect(balances.reduce((a, b) => a + b, 0)).toBe(0);
        // Usage is the imported actuals plus the self-logged entries no import confirmed: nothing twice.
        const stillProvisional = provisionalFrom(ledger.transfers).reduce((s, p) => s + p.transfers.reduce((a, t) => a + t.amount, 0), 0);
        expect(ledger.state.balances['usage'] ?? 0).toBe(imported + stillProvisional);
        // Where no import overdrew it, the pool is its lots.
        const pool = ledger.state.balances['pool'] ?? 0;
        const uncovered = ledger.transfers.some((t) => t.debit === 'pool' && !t.lotId);
        if (!uncovered) expect(ledger.state.lots.reduce((s, l) => s + l.remaining, 0)).toBe(pool);
        for (const m of MEMBERS) expect(ledger.state.balances[`member:${m}`] ?? 0).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 200 },
    );
  });

  it('a batch refused nothing and split nothing differently when re-planned: planning is deterministic', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ member, credits, day, service }), { minLength: 1, maxLength: 15 }), fc.integer({ min: 20, max: 60 }), (raw, budget) => {
        const ledger = new Ledger();
        for (const id of MEMBERS) ledger.addRegistered(id);
        ledger.applyPurchase('buy0', 2);
        const rows: ImportRowToPost[] = raw.map((r, i) => ({ rowId: `r${i}-0`, line: i + 2, memberId: MEMBERS[r.member] ?? 'm0', date: dayString(FIRST_DAY + r.day), service: SERVICES[r.service] ?? 'other', amount: r.credits * 100 }));
        const input = { importId: 'i', rows, provisional: [], settleWindowDays: 3, budget: { max: budget, chars: 200_000 } };
        const c = ledger.ctx();
        expect(planImportBatch(ledger.state, input, c)).toEqual(planImportBatch(ledger.state, input, c));
      }),
      { numRuns: 50 },
    );
  });
});
