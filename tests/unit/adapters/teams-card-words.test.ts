// @vitest-environment jsdom
/**
 * IT's channel cards read like words for people (issue 19, item 7): rendered with the Adaptive Cards
 * renderer, a card shows no id, no service slug, no ISO date or UTC time once the firm's zone is set, no raw
 * negative number, the tab's state words, and "Pool after" only where the pool moved.
 */
import { AdaptiveCard } from 'adaptivecards';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEED_EVENT_KINDS, type FeedEvent } from '../../../src/core/feed/feed-event.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/policy.js';
import { wordsFor } from '../../../src/core/feed/wording.js';
import { digestCardPayload, eventCardPayload, type WebhookPayload } from '../../../server/adapters/teams/cards.js';
import { polyfillInnerText } from '../../support/jsdom-inner-text.js';

const words = wordsFor({ ...DEFAULT_POLICY, timeZone: 'America/Chicago' });
const options = { tabUrl: 'https://desk.example.com/tab', words };

const PURCHASE_ID = 'zd33y8q1w7';
const EVENT_ID = '0m4k2p9x.e3';

function event(kind: FeedEvent['kind'], overrides: Partial<FeedEvent> = {}): FeedEvent {
  return {
    id: EVENT_ID,
    postingId: '0m4k2p9x',
    kind,
    at: '2026-12-06T15:45:00.000Z',
    actor: 'a1b2c3d4-actor',
    actorName: 'Riley Account',
    memberId: 'm-7f3e',
    memberName: 'Ana Lima',
    office: 'London',
    service: 'cloud_rendering',
    amount: 3000,
    poolAfter: -272_471,
    purchaseId: PURCHASE_ID,
    purchaseTitle: 'Purchase of 2 blocks (Q4 top-up)',
    purchaseState: 'quote_requested',
    message: 'What happened.',
    ...overrides,
  };
}

beforeAll(() => {
  polyfillInnerText();
});

/** What a person sees: the card rendered by the Adaptive Cards renderer, as text. */
function shown(payload: WebhookPayload): string {
  const card = new AdaptiveCard();
  card.parse(payload.attachments[0]!.content);
  return (card.render()!.textContent ?? '').replaceAll('\u2060', '');
}

const ISO_DAY = /\d{4}-\d{2}-\d{2}/;

describe('channel cards in words', () => {
  it.each(FEED_EVENT_KINDS)('%s: no id, no slug, no ISO date, no UTC time, no raw number', (kind) => {
    const text = shown(eventCardPayload(event(kind), options));
    expect(text).not.toContain(PURCHASE_ID);
    expect(text).not.toContain(EVENT_ID);
    expect(text).not.toContain('m-7f3e');
    expect(text).not.toContain('cloud_rendering');
    expect(text).not.toContain('quote_requested');
    expect(text).not.toMatch(ISO_DAY);
    expect(text).not.toMatch(/UTC|GMT|Z\b/);
    expect(text).not.toContain('-2724.71');
    expect(text).toContain('Sun, Dec 6, 2026, 9:45 AM CST');
    expect(text).toContain('Cloud rendering');
  });

  it('names the purchase and its state as the tab does', () => {
    const text = shown(eventCardPayload(event('purchase_step', { amount: undefined }), options));
    expect(text).toContain('Purchase quote requested');
    expect(text).toContain('Purchase of 2 blocks (Q4 top-up)');
    expect(text).toContain('Quote requested');
  });

  it('formats an overdrawn pool for the locale, with a real minus sign', () => {
    const text = shown(eventCardPayload(event('pool_draw'), options));
    expect(text).toContain('Pool after');
    expect(text).toContain('\u22122,724.71 credits');
  });

  it('shows "Pool after" only where the pool moved', () => {
    const poolAfter = (e: FeedEvent) => shown(eventCardPayload(e, options)).includes('Pool after');
    expect(poolAfter(event('purchase_step', { purchaseState: 'quote_requested', amount: undefined }))).toBe(false);
    expect(poolAfter(event('purchase_step', { purchaseState: 'applied' }))).toBe(true);
    expect(poolAfter(event('pool_joined', { amount: undefined }))).toBe(false);
    expect(poolAfter(event('alert_purchase_slow', { amount: undefined }))).toBe(false);
    expect(poolAfter(event('alert_registration_stuck', { amount: undefined }))).toBe(false);
    expect(poolAfter(event('provisional_unconfirmed'))).toBe(false);
    expect(poolAfter(event('reversal', { poolDelta: 0 }))).toBe(false);
    expect(poolAfter(event('reversal', { poolDelta: 3000 }))).toBe(true);
    expect(poolAfter(event('import_committed', { poolDelta: 0 }))).toBe(false);
    expect(poolAfter(event('pool_draw'))).toBe(true);
    expect(poolAfter(event('hold_voided'))).toBe(true);
  });

  it('titles the reconciliation alert in plain words', () => {
    const text = shown(eventCardPayload(event('alert_reconciliation'), options));
    expect(text).toContain('Alert: Autodesk charged more than the pool held');
    expect(text).not.toMatch(/reconciliation|export shows/i);
  });

  it('digest: service names, no ids, the firm zone', () => {
    const draws = [event('pool_draw', { id: 'dg1.e0' }), event('pool_draw', { id: 'dg2.e0', service: 'generative_design', at: '2026-12-06T16:10:00.000Z' })];
    const text = shown(digestCardPayload(draws, { from: '2026-12-06T15:00:00.000Z', to: '2026-12-06T17:00:00.000Z', label: 'hourly' }, options));
    expect(text).not.toMatch(/dg\d\.e0/);
    expect(text).not.toMatch(/cloud_rendering|generative_design/);
    expect(text).toContain('Cloud rendering');
    expect(text).toContain('Generative design');
    expect(text).toContain('Sun, Dec 6, 2026, 9:00 AM to 11:00 AM CST');
    expect(text).not.toMatch(ISO_DAY);
    expect(text).not.toContain("UTC");
  });
});
