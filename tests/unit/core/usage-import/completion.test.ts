import { describe, expect, it } from 'vitest';
import type { Transfer } from '../../../../src/core/ledger/index.js';
import { FEED_EVENT_KINDS } from '../../../../src/core/feed/index.js';
import { planUsage, reverseTransfer } from '../../../../src/core/ledger/index.js';
import {
  planImportCompletion,
  provisionalFrom,
  unconfirmedProvisional,
} from '../../../../src/core/usage-import/index.js';
import { Ledger, unwrap } from '../helpers.js';

function selfLog(ledger: Ledger, memberId: string, credits: number, date: string, source: 'self' | 'manager' = 'self'): Transfer[] {
  const { posting } = unwrap(planUsage(ledger.state, { memberId, amount: credits * 100, service: 'simulation', date, source }, ledger.ctx({ actor: memberId })));
  ledger.commit(posting);
  return posting.transfers;
}

const input = { importId: 'imp1', fileName: 'usage-june.csv', rowsPosted: 1234, amount: 567_800, fromPool: 200_000, settled: 0, unconfirmed: [] };

describe('planImportCompletion', () => {
  it('posts no transfers and a summary', () => {
    const ledger = new Ledger();
    const c = ledger.ctx();
    const posting = planImportCompletion(ledger.state, input, c);
    expect(posting.transfers).toEqual([]);
    expect(posting.events).toEqual([
      expect.objectContaining({ id: `${c.postingId}.e0`, kind: 'import_committed', amount: 567_800, poolAfter: 0, message: 'Usage import usage-june.csv: 1,234 rows, 5,678 credits (2,000 credits from the pool).' }),
    ]);
  });

  it('says how many self-logged entries it confirmed, in tokens under Flex', () => {
    const ledger = new Ledger();
    const posting = planImportCompletion(ledger.state, { ...input, rowsPosted: 1, amount: 150, fromPool: 0, settled: 1 }, ledger.ctx({ policy: { ...ledger.ctx().policy, unitName: 'Flex tokens' } }));
    expect(posting.events[0]?.message).toBe('Usage import usage-june.csv: 1 row, 1.5 tokens (0 tokens from the pool); 1 self-logged entry confirmed.');
  });

  it('raises a reconciliation alert for the gap when the pool is below zero', () => {
    const ledger = new Ledger();
    ledger.state = { ...ledger.state, balances: { pool: -4550, usage: 4550 } };
    const posting = planImportCompletion(ledger.state, input, ledger.ctx());
    const alert = posting.events.find((e) => e.kind === 'alert_reconciliation');
    expect(alert).toMatchObject({ amount: 4550, poolAfter: -4550 });
    expect(alert?.message).toBe("The pool is overdrawn by 45.5 credits after Autodesk's usage export usage-june.csv: it charged more pool use than the pool held. Record the missing purchase, or check usage outside Credit Desk.");
  });

  it('tells each member about their unconfirmed entries', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice', 'Boston');
    ledger.addRegistered('bob');
    selfLog(ledger, 'alice', 5, '2026-10-01');
    selfLog(ledger, 'alice', 5, '2026-10-03');
    selfLog(ledger, 'bob', 2, '2026-10-02');
    const unconfirmed = provisionalFrom(ledger.transfers);
    const posting = planImportCompletion(ledger.state, { ...input, unconfirmed }, ledger.ctx());
    const flags = posting.events.filter((e) => e.kind === 'provisional_unconfirmed');
    expect(flags).toEqual([
      expect.objectContaining({ memberId: 'alice', memberName: 'Name alice', office: 'Boston', amount: 1000, message: expect.stringContaining('Name alice: 2 self-logged entries (Oct 1, 2026; Oct 3, 2026) not found') }),
      expect.objectContaining({ memberId: 'bob', memberName: 'Name bob', amount: 200, message: expect.stringContaining('1 self-logged entry (Oct 2, 2026)') }),
    ]);
    expect(new Set(posting.events.map((e) => e.id)).size).toBe(posting.events.length);
  });

  it('the new kinds are feed kinds', () => {
    expect(FEED_EVENT_KINDS).toEqual(expect.arrayContaining(['import_committed', 'alert_reconciliation', 'provisional_unconfirmed']));
  });
});

describe('provisionalFrom and unconfirmedProvisional', () => {
  it('groups self-logged usage by posting and leaves out manager entries and reversed ones', () => {
    const ledger = new Ledger();
    ledger.addRegistered('alice');
    ledger.applyPurchase('buy1', 1);
    const split = selfLog(ledger, 'alice', 120, '2026-10-01');
    const corrected = selfLog(ledger, 'alice', 3, '2026-10-02');
    selfLog(ledger, 'alice', 4, '2026-10-03', 'manager');
    const [wrong] = corrected;
    if (!wrong) throw new Error('nothing logged');
    ledger.commit(unwrap(reverseTransfer(ledger.state, wrong, { reason: 'typo' }, ledger.ctx())).posting);
    const provisional = provisionalFrom([...ledger.transfers].reverse());
    expect(provisional).toEqual([{ postingId: split[0]?.postingId, memberId: 'alice', service: 'simulation', date: '2026-10-01', transfers: split }]);
  });

  it('keeps what no row settled, within the file\'s dates', () => {
    const p = (postingId: string, date: string) => ({ postingId, memberId: 'a', service: 's', date, transfers: [] });
    const all = [p('p1', '2026-05-31'), p('p2', '2026-06-01'), p('p3', '2026-06-15'), p('p4', '2026-06-30'), p('p5', '2026-07-01')];
    expect(unconfirmedProvisional(all, new Set(['p3']), { from: '2026-06-01', to: '2026-06-30' }).map((x) => x.postingId)).toEqual(['p2', 'p4']);
  });
});
