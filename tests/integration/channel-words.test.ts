/**
 * IT's channel reads like words for people (issue 19, item 7), end to end: a month of activity through the
 * API, the real dispatcher posting over HTTP to the Teams channel stand-in, and every card it received
 * checked for ids, slugs, ISO days, UTC times and raw numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedReceiver } from '../../server/local/feed-receiver.js';
import { startFeedReceiver } from '../../server/local/feed-receiver.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, startTestApi } from '../support/api.js';
import { cardWords, channelMonth, postToChannel } from '../support/channel-month.js';

let api: TestApi;
let receiver: FeedReceiver;

beforeAll(async () => {
  api = await startTestApi();
  receiver = await startFeedReceiver();
});

afterAll(async () => {
  await receiver?.stop();
  await api?.stack.stop();
});

describe("IT's channel in words", () => {
  it('refuses a time zone that is not one, with a coded error naming the field, and changes nothing', async () => {
    const settings = (await api.call(IT, 'GET', '/api/settings')).body;
    const refused = await api.call(IT, 'PUT', '/api/settings', { body: { ...settings, timeZone: 'Mars/Olympus' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(refused.body.error.details)).toContain('timeZone');
    expect((await api.call(IT, 'GET', '/api/settings')).body.timeZone).toBeNull();
  });

  it('every card names people, purchases and services, in the firm zone, with no id, slug, ISO day or UTC time', async () => {
    const month = await channelMonth(api, receiver, EMPLOYEES[0]!);
    await postToChannel(api);
    const cards = receiver.received().map((r) => ({ ids: r.eventIds, words: cardWords(r.payload.attachments[0]!.content) }));
    expect(cards.length).toBeGreaterThanOrEqual(10);
    const all = cards.flatMap((c) => c.words).join('\n');
    for (const id of month.ids) expect(all).not.toContain(id);
    expect(all).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
    expect(all).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(all).not.toMatch(/UTC|GMT/);
    expect(all).toMatch(/[CS]T\b/); // CST or CDT: Chicago
    expect(all).toContain('Cloud rendering');
    expect(all).toContain('Purchase of 2 blocks (Q4 top-up)');
    expect(all).toContain('Quote requested');
    // A quote asked for does not move the pool: no "Pool after" on its card; a draw's card has one.
    const quoteCard = cards.find((c) => c.words.includes('Purchase of 1 block (Spring projects)') && c.words.includes('Quote requested'));
    expect(quoteCard).toBeDefined();
    expect(quoteCard!.words).not.toContain('Pool after');
    expect(cards.find((c) => c.words[0]?.startsWith('Pool draw'))!.words).toContain('Pool after');
    expect(all).toContain('Alert: the pool is running low');
  });
});
