/**
 * The feed's texts read like words for people (issue 19, item 7): every kind of event the core writes names
 * people and purchases by name, services by their display name, days as people write them (the day of a
 * moment in the firm's zone), and numbers for the locale — no id, no slug, no ISO date, no raw `-2724.71`.
 */
import { describe, expect, it } from 'vitest';
import type { AlertInput, FeedEvent } from '../../../src/core/feed/index.js';
import type { Member } from '../../../src/core/ledger/index.js';
import type { Policy } from '../../../src/core/policy/index.js';
import type { Lot, Purchase } from '../../../src/core/purchases/index.js';
import { dueAlerts, wordsFor } from '../../../src/core/feed/index.js';
import { placeHold, voidHold } from '../../../src/core/holds/index.js';
import { emptyPosting, newMember, planPackExpiry, planUsage, reverseTransfer } from '../../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { createPurchase } from '../../../src/core/purchases/index.js';
import { applyRegistrationEvent } from '../../../src/core/registration/index.js';
import { planImportCompletion } from '../../../src/core/usage-import/index.js';
import { Ledger, unwrap } from './helpers.js';

const FIRM: Policy = { ...DEFAULT_POLICY, timeZone: 'America/Chicago' };
const FLEX: Policy = { ...FIRM, unitName: 'Flex tokens', individualAllotment: 0, packExpiryMonths: 12 };
const ANA = 'u7f3e9c1';
const PURCHASE = 'zd33y8q1';

/** What must never be in a text a person reads. */
function expectWords(text: string, ids: readonly string[]) {
  for (const id of ids) expect(text, text).not.toContain(id);
  expect(text, text).not.toMatch(/\b[a-z]+_[a-z_]+\b/); // a slug or a code
  expect(text, text).not.toMatch(/\d{4}-\d{2}-\d{2}/); // an ISO day
  expect(text, text).not.toMatch(/T\d{2}:\d{2}|UTC|\bZ\b/); // an ISO or UTC time
  expect(text, text).not.toMatch(/(^|[^\d,])-\d/); // a hyphen for a minus
  expect(text, text).not.toMatch(/\d{4,}\.\d/); // an ungrouped amount
}

function member(id: string, displayName: string): Member {
  return newMember({ id, email: `${id}@example.com`, displayName, now: '2026-10-01T09:00:00.000Z', office: 'London' });
}

/** A firm's month in the ledger: a purchase, Ana joining the pool, draws, a hold, a correction, an overdraft. */
function aMonth(): { ledger: Ledger; events: FeedEvent[]; ids: string[] } {
  const ledger = new Ledger();
  const at = (now: string) => ledger.ctx({ now, policy: FIRM });
  const joined = emptyPosting(ledger.nextId());
  joined.members.push(member(ANA, 'Ana Lima'));
  ledger.commit(joined);
  ledger.commit(unwrap(applyRegistrationEvent(ledger.state, { memberId: ANA, event: 'already_registered' }, at('2026-11-02T10:00:00.000Z'))).posting);
  ledger.commit(unwrap(createPurchaseWithReason(ledger)).posting);
  ledger.walkPurchase(PURCHASE, ['quote_requested', 'quote_received', 'approved', 'ordered', 'applied'], '2026-11-03T10:00:00.000Z', FIRM);
  const use = (amount: number, service: string, now: string, source: 'self' | `import:${string}` = 'self') =>
    ledger.commit(unwrap(planUsage(ledger.state, { memberId: ANA, amount, service, date: now.slice(0, 10), source }, at(now))).posting);
  use(10_000, 'cloud_rendering', '2026-11-04T15:00:00.000Z'); // own credits used up: joins the pool
  use(3_000, 'cloud_rendering', '2026-11-05T15:00:00.000Z'); // a pool draw
  const { hold, posting: held } = unwrap(placeHold(ledger.state, { memberId: ANA, amount: 1_000, service: 'generative_design', source: 'self' }, at('2026-11-06T15:00:00.000Z')));
  ledger.commit(held);
  ledger.commit(unwrap(voidHold(ledger.state, hold.id, 'self', at('2026-11-07T15:00:00.000Z'))).posting);
  const draw = ledger.transfers.findLast((t) => t.code === 'usage_pool')!;
  ledger.commit(unwrap(reverseTransfer(ledger.state, draw, { reason: 'logged twice' }, at('2026-11-08T15:00:00.000Z'))).posting);
  use(8_500, 'simulation', '2026-11-09T15:00:00.000Z'); // under the low line
  use(273_971, 'simulation', '2026-11-10T15:00:00.000Z', 'import:imp1'); // overdrawn by 2,724.71
  ledger.commit(
    planImportCompletion(
      ledger.state,
      {
        importId: 'imp1',
        fileName: 'November usage.csv',
        rowsPosted: 1,
        amount: 273_971,
        fromPool: 273_971,
        settled: 0,
        unconfirmed: [{ postingId: 'p-prov', memberId: ANA, service: 'cloud_rendering', date: '2026-11-02', transfers: [] }],
      },
      at('2026-11-10T16:00:00.000Z'),
    ),
  );
  const ids = [ANA, PURCHASE, 'imp1', 'p-prov', hold.id, draw.id, ...ledger.events.map((e) => e.id)];
  return { ledger, events: ledger.events, ids };
}

function createPurchaseWithReason(ledger: Ledger) {
  return createPurchase(ledger.state, { purchaseId: PURCHASE, blocks: 1, reason: 'Q4 top-up' }, ledger.ctx({ now: '2026-11-03T09:00:00.000Z', policy: FIRM }));
}

describe('words for people', () => {
  it('formats amounts, days, times, services and states for the firm', () => {
    const w = wordsFor(FIRM);
    expect(w.amount(-272_471)).toBe('\u22122,724.71 credits');
    expect(w.amount(100)).toBe('1 credit');
    expect(wordsFor(FLEX).amount(1_250)).toBe('12.5 tokens');
    expect(w.service('cloud_rendering')).toBe('Cloud rendering');
    expect(w.service('forma_site_design')).toBe('Forma site design');
    expect(w.purchaseState('quote_requested')).toBe('Quote requested');
    expect(w.day('2026-12-06')).toBe('Dec 6, 2026');
    // 03:00 UTC on Dec 6 is still Dec 5 in Chicago.
    expect(w.day('2026-12-06T03:00:00.000Z')).toBe('Dec 5, 2026');
    expect(w.time('2026-12-06T15:45:00.000Z')).toBe('Sun, Dec 6, 2026, 9:45 AM CST');
  });

  it('falls back to UTC, and says so, when no zone is set or it is unknown', () => {
    expect(wordsFor(DEFAULT_POLICY).time('2026-12-06T15:45:00.000Z')).toBe('Sun, Dec 6, 2026, 3:45 PM UTC');
    expect(wordsFor({ ...DEFAULT_POLICY, timeZone: 'Not/AZone' }).timeZone).toBe('UTC');
  });

  it('every event of a month in the ledger reads as words', () => {
    const { events, ids } = aMonth();
    const kinds = new Set(events.map((e) => e.kind));
    for (const kind of ['purchase_step', 'pool_joined', 'pool_draw', 'hold_placed', 'hold_voided', 'reversal', 'alert_pool_low', 'alert_pool_negative', 'import_committed', 'alert_reconciliation', 'provisional_unconfirmed']) {
      expect(kinds, kind).toContain(kind);
    }
    for (const e of events) expectWords(e.message, ids);
    const text = (kind: FeedEvent['kind']) => events.filter((e) => e.kind === kind).map((e) => e.message);
    expect(text('pool_draw')[0]).toBe('Ana Lima drew 30 credits from the pool for Cloud rendering.');
    expect(text('purchase_step').at(-1)).toBe('Purchase of 1 block (Q4 top-up) applied: 100 credits added to the pool.');
    expect(events.find((e) => e.kind === 'purchase_step')?.purchaseTitle).toBe('Purchase of 1 block (Q4 top-up)');
    expect(text('alert_pool_negative')[0]).toContain('overdrawn by 2,724.71 credits');
    expect(text('alert_reconciliation')[0]).toContain('overdrawn by 2,724.71 credits');
    expect(text('provisional_unconfirmed')[0]).toContain('(Nov 2, 2026)');
    expect(text('reversal')[0]).toBe('A pool draw of 30 credits (Ana Lima, Cloud rendering, Nov 5, 2026) was reversed: logged twice');
    expect(events.find((e) => e.kind === 'reversal')?.poolDelta).toBe(3_000);
  });

  it('an expired pack is named by its purchase and the day it was applied, in the firm zone', () => {
    const ledger = new Ledger();
    ledger.commit(unwrap(createPurchase(ledger.state, { purchaseId: PURCHASE, blocks: 2, reason: 'Spring' }, ledger.ctx({ now: '2025-12-06T03:00:00.000Z', policy: FLEX }))).posting);
    ledger.walkPurchase(PURCHASE, ['quote_requested', 'quote_received', 'approved', 'ordered', 'applied'], '2025-12-06T03:00:00.000Z', FLEX);
    const { posting } = planPackExpiry(ledger.state, ledger.ctx({ now: '2026-12-07T10:00:00.000Z', policy: FLEX }));
    const [expired] = posting.events;
    expect(expired?.message).toBe('The pack from Purchase of 2 blocks (Spring), applied Dec 5, 2025, expired: 200 tokens left in it lapsed.');
    expectWords(expired!.message, [PURCHASE, expired!.id]);
  });

  it('every alert the hourly check raises reads as words', () => {
    const slow: Purchase = { id: 'zd55k0', blocks: 3, units: 30_000, state: 'approved', reason: 'Year end', requestedBy: 'am', createdAt: '2026-11-02T09:00:00Z', updatedAt: '2026-11-02T09:00:00Z', steps: [{ type: 'approved', at: '2026-11-02T09:00:00Z', by: 'am' }] };
    const applied: Purchase = { ...slow, id: 'zd66m1', state: 'applied', reason: 'Spring' };
    const pack: Lot = { id: 'zd66m1', purchaseId: 'zd66m1', appliedAt: '2025-12-20T03:00:00.000Z', units: 10_000, remaining: 4_000, expiresAt: '2026-12-20T03:00:00.000Z' };
    const ben = member('u9k2', 'Ben Okafor');
    const stuck: Member = { ...ben, registration: { ...ben.registration, state: 'account_created', since: '2026-11-02T09:00:00Z' } };
    const input: AlertInput = {
      now: '2026-11-27T10:00:00.000Z',
      policy: FLEX,
      poolBalance: -272_471,
      lots: [pack],
      purchases: [slow, applied],
      members: [stuck],
      forecast: { orderNow: true, orderByDate: '2026-11-26', zeroDate: '2026-12-08', recommendedBlocks: 3, shortBeforeIncoming: false },
      poolLowRaisedSinceRefill: false,
    };
    const alerts = dueAlerts(input);
    expect(new Set(alerts.map((a) => a.kind))).toEqual(new Set(['alert_order_now', 'alert_pool_low', 'alert_purchase_slow', 'alert_pack_expiring', 'alert_registration_stuck']));
    for (const a of alerts) expectWords(a.message, ['zd55k0', 'zd66m1', 'u9k2']);
    const said = (kind: string) => alerts.find((a) => a.kind === kind)!.message;
    expect(said('alert_order_now')).toContain('run out around Dec 8, 2026');
    expect(said('alert_order_now')).toContain('Order by Nov 26, 2026');
    expect(said('alert_pool_low')).toContain('\u22122,724.71 tokens');
    expect(said('alert_purchase_slow')).toMatch(/^Purchase of 3 blocks \(Year end\) is slow/);
    expect(said('alert_pack_expiring')).toContain('The pack from Purchase of 3 blocks (Spring), applied Dec 19, 2025, expires on Dec 19, 2026');
    expect(alerts.find((a) => a.kind === 'alert_purchase_slow')?.purchaseTitle).toBe('Purchase of 3 blocks (Year end)');
  });
});
