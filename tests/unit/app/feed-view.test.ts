import { describe, expect, it } from 'vitest';
import { feedItem } from '../../../server/app/views.js';
import type { FeedEvent, FeedEventKind } from '../../../src/core/feed/index.js';
import { ANONYMOUS_FEED_FORMS, FEED_EVENT_KINDS, wordsFor } from '../../../src/core/feed/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';

/**
 * What an employee sees of someone else's feed event: every kind has its own anonymous form (a whitelist),
 * and none of them lets the subject's or the actor's name, address or id through, nor the event's free text.
 */
const SUBJECT = { id: '7f0c2a4e-1111-4c4c-9d9d-000000000042', name: 'Jordan Whitfield', email: 'jordan.whitfield@contoso.example', office: 'Reykjavik' };
const ACTOR = { id: '7f0c2a4e-2222-4c4c-9d9d-000000000077', name: 'Morgan Ashdown' };
const FREE_TEXT = ['Falcon bid', 'jordan-usage-october.csv'];
const WORDS = wordsFor({ ...DEFAULT_POLICY, timeZone: 'Europe/London' });

/** An event of `kind` with every field that can name someone filled in, and a message that names them all. */
function eventOf(kind: FeedEventKind): FeedEvent {
  return {
    id: `evt-${kind}`,
    postingId: `post-${kind}`,
    kind,
    at: '2026-11-20T10:00:00.000Z',
    actor: ACTOR.id,
    actorName: ACTOR.name,
    memberId: SUBJECT.id,
    memberName: SUBJECT.name,
    office: SUBJECT.office,
    service: 'simulation',
    amount: 1250,
    poolAfter: 30000,
    purchaseId: 'purchase-1',
    purchaseState: 'quote_received',
    message: `${SUBJECT.name} <${SUBJECT.email}> (${SUBJECT.id}, ${SUBJECT.office}), by ${ACTOR.name} (${ACTOR.id}): ${FREE_TEXT.join(', ')}.`,
  };
}

describe('the anonymous form of a feed event', () => {
  it('exists for exactly the kinds there are', () => {
    expect(Object.keys(ANONYMOUS_FEED_FORMS).sort()).toEqual([...FEED_EVENT_KINDS].sort());
  });

  it.each([...FEED_EVENT_KINDS])('%s: names nobody, and keeps none of the message', (kind) => {
    const event = eventOf(kind);
    const item = feedItem(event, false, WORDS);
    expect(item).toMatchObject({ id: event.id, kind, memberId: null, memberName: null, office: null, actor: null, purchaseId: null, poolAfter: 300 });
    expect(item.message.length).toBeGreaterThan(0);
    expect(item.message).not.toBe(event.message);
    const shown = JSON.stringify(item).toLowerCase();
    for (const hidden of [SUBJECT.id, SUBJECT.name, SUBJECT.email, SUBJECT.office, ACTOR.id, ACTOR.name, ...FREE_TEXT]) {
      expect(shown, `${kind} shows "${hidden}"`).not.toContain(hidden.toLowerCase());
    }
  });

  it.each([...FEED_EVENT_KINDS])('%s: reads as words, in the firm\'s unit and service names', (kind) => {
    const event = { ...eventOf(kind), amount: 272_471 };
    const { message } = feedItem(event, false, WORDS);
    expect(message, message).not.toMatch(/\b[a-z]+_[a-z_]+\b/); // a slug or a state code
    expect(message, message).not.toMatch(/\d{4}-\d{2}-\d{2}/); // an ISO day
    expect(message, message).not.toMatch(/\d{4,}/); // an ungrouped amount
    expect(message, message).not.toMatch(/\bsimulation\b/); // the service's slug
    // A figure is never bare: the unit follows it.
    for (const figure of message.match(/\d[\d,.]*/g) ?? []) expect(message, message).toContain(`${figure} credits`);
  });

  it('names a purchase step by the state the tab shows, and what an applied purchase added', () => {
    expect(feedItem(eventOf('purchase_step'), false, WORDS).message).toBe('A purchase for the pool moved on: quote received.');
    expect(feedItem({ ...eventOf('purchase_step'), purchaseState: 'applied', amount: 1_000_000 }, false, WORDS).message).toBe('A purchase added 10,000 credits to the pool.');
  });

  it('shows the subject their own event as it is', () => {
    const event = eventOf('provisional_unconfirmed');
    expect(feedItem(event, true, WORDS)).toMatchObject({ message: event.message, memberId: SUBJECT.id, memberName: SUBJECT.name, credits: 12.5, actor: ACTOR.id });
  });

  it('keeps what an employee may know of a pool draw: the amount and the service', () => {
    expect(feedItem(eventOf('pool_draw'), false, WORDS)).toMatchObject({ message: 'Someone drew 12.5 credits from the pool for Simulation.', credits: 12.5, service: 'simulation' });
  });

  it("hides how much of someone's self-logged usage an import did not confirm", () => {
    expect(feedItem(eventOf('provisional_unconfirmed'), false, WORDS)).toMatchObject({ credits: null, service: null });
  });

  it('tells an employee what a hold did to the pool, with the amount and nobody named', () => {
    expect(feedItem(eventOf('hold_placed'), false, WORDS)).toMatchObject({ message: 'Someone reserved 12.5 credits of the pool for a planned job (Simulation).', credits: 12.5 });
    expect(feedItem(eventOf('hold_settled'), false, WORDS).message).toBe('A hold gave 12.5 credits back to the pool: the usage it was for was recorded instead.');
    expect(feedItem(eventOf('hold_voided'), false, WORDS).message).toBe('A hold was voided: 12.5 credits went back to the pool.');
    expect(feedItem(eventOf('hold_expired'), false, WORDS).message).toBe('A hold lapsed unused: 12.5 credits went back to the pool.');
  });
});
