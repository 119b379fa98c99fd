import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FeedEvent } from '../../src/core/feed/feed-event.js';
import { digestCardPayload, eventCardPayload } from '../../server/adapters/teams/cards.js';
import { MAX_BODY_BYTES, startFeedReceiver, type FeedReceiver } from '../../server/local/feed-receiver.js';

const event: FeedEvent = {
  id: 'p1.e0',
  postingId: 'p1',
  kind: 'pool_draw',
  at: '2025-01-14T09:30:00.000Z',
  actor: 'usage-import',
  memberName: 'Ana Lima',
  office: 'London',
  service: 'Forma',
  amount: 1250,
  poolAfter: 98_700,
  message: 'Ana Lima drew 12.5 from the pool for Forma.',
};
const card = (id: string) => eventCardPayload({ ...event, id }, { tabUrl: 'https://desk.example.com/' });

let receiver: FeedReceiver;

const post = (body: unknown, path = '/webhook') =>
  fetch(new URL(path, receiver.pageUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const getJson = async (path: string) => (await fetch(new URL(path, receiver.pageUrl))).json();

beforeAll(async () => {
  receiver = await startFeedReceiver({ port: 0 });
});
afterAll(async () => {
  await receiver.stop();
});
beforeEach(() => receiver.reset());

describe('feed receiver', () => {
  it('listens on loopback and names its URLs', () => {
    expect(receiver.url).toBe(`http://127.0.0.1:${receiver.port}/webhook`);
    expect(receiver.pageUrl).toBe(`http://127.0.0.1:${receiver.port}/`);
    expect(receiver.port).toBeGreaterThan(0);
  });

  it('takes a card with 202, stores it with its event ids and lists it', async () => {
    const before = Date.now();
    const first = await post(card('a.e0'));
    expect(first.status).toBe(202);
    expect(await first.text()).toBe('');
    const digest = digestCardPayload([{ ...event, id: 'b.e0' }, { ...event, id: 'c.e1' }], { from: '2025-01-14T09:00:00Z', to: '2025-01-14T10:00:00Z', label: 'hourly' }, { tabUrl: 'https://desk.example.com/' });
    expect((await post(digest, '/webhook?api-version=1&sig=abc')).status).toBe(202);

    const received = receiver.received();
    expect(received.map((r) => [r.seq, r.eventIds])).toEqual([
      [1, ['a.e0']],
      [2, ['b.e0', 'c.e1']],
    ]);
    expect(Date.parse(received[0]!.receivedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(received[1]!.payload).toEqual(JSON.parse(JSON.stringify(digest)));
    expect(await getJson('/received')).toEqual(received);
    expect(await getJson('/state')).toEqual({ received: 2, refusals: 0, failing: false, failStatus: null });
  });

  it('refuses the next N posts, storing nothing, then recovers', async () => {
    receiver.failFor({ count: 2 });
    expect((await post(card('a.e0'))).status).toBe(503);
    expect((await post(card('a.e0'))).status).toBe(503);
    expect(receiver.received()).toEqual([]);
    expect(receiver.refusals()).toBe(2);
    expect((await post(card('a.e0'))).status).toBe(202);
    expect(receiver.received().map((r) => r.eventIds)).toEqual([['a.e0']]);
    expect(receiver.refusals()).toBe(2);
  });

  it('refuses for a time, with the status asked for', async () => {
    receiver.failFor({ ms: 300, status: 500 });
    expect((await post(card('a.e0'))).status).toBe(500);
    expect(await getJson('/state')).toMatchObject({ failing: true, failStatus: 500 });
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await post(card('a.e0'))).status).toBe(202);
    expect(receiver.refusals()).toBe(1);
  });

  it('refuses until reset when given no limit', async () => {
    receiver.failFor();
    for (let i = 0; i < 3; i++) expect((await post(card('a.e0'))).status).toBe(503);
    receiver.reset();
    expect(receiver.refusals()).toBe(0);
    expect((await post(card('a.e0'))).status).toBe(202);
  });

  it('is controlled over HTTP from another process', async () => {
    const fail = await post({ count: 1, status: 429, retryAfterSeconds: 7 }, '/control/fail');
    expect(fail.status).toBe(200);
    const refused = await post(card('a.e0'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect((await post(card('b.e0'))).status).toBe(202);
    expect((await getJson('/received')).map((r: any) => r.eventIds)).toEqual([['b.e0']]);
    expect((await post({}, '/control/reset')).status).toBe(200);
    expect(await getJson('/received')).toEqual([]);
    expect(await getJson('/state')).toMatchObject({ refusals: 0 });
    const bad = await post({ count: 'lots' }, '/control/fail');
    expect(bad.status).toBe(400);
    expect((await post({ status: 200 }, '/control/fail')).status).toBe(400);
    expect((await post(card('c.e0'))).status).toBe(202);
  });

  it.each([
    ['not JSON', '{"type":', /not valid JSON/],
    ['empty', '', /JSON object/],
    ['an array', [], /JSON object/],
    ['not a message', { ...card('a'), type: 'event' }, /"type": "message"/],
    ['no attachments', { type: 'message', attachments: [] }, /non-empty "attachments"/],
    ['a wrong content type', { type: 'message', attachments: [{ contentType: 'text/plain', content: {} }] }, /contentType/],
    ['a content that is not a card', { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'Hero' } }] }, /Adaptive Card/],
    ['a card without version', { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [] } }] }, /version/],
    ['event ids that are not strings', { ...card('a'), creditDesk: { eventIds: [1] } }, /eventIds/],
  ])('answers 400 with a reason for %s', async (_name, body, reason) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(reason);
    expect(receiver.received()).toEqual([]);
  });

  it('answers 413 to a body over 1 MiB, and takes one just under', async () => {
    const padded = (size: number) => {
      const base = JSON.stringify({ ...card('big.e0'), padding: '' });
      return base.replace('"padding":""', `"padding":"${'x'.repeat(size - base.length)}"`);
    };
    expect(Buffer.byteLength(padded(MAX_BODY_BYTES + 1))).toBe(MAX_BODY_BYTES + 1);
    const tooBig = await post(padded(MAX_BODY_BYTES + 1));
    expect(tooBig.status).toBe(413);
    expect(receiver.received()).toEqual([]);
    expect((await post(padded(MAX_BODY_BYTES))).status).toBe(202);
  });

  it('serves the page, its script and the adaptivecards renderer from itself', async () => {
    const page = await fetch(receiver.pageUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('Teams channel stand-in — what IT would see');
    expect(html).toMatch(/<script src="adaptivecards\.min\.js"><\/script>/);
    expect(html).not.toMatch(/https?:\/\//);

    const script = await fetch(new URL('adaptivecards.min.js', receiver.pageUrl));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    const onDisk = await readFile(createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');
    expect(await script.text()).toBe(onDisk);

    const pageScript = await (await fetch(new URL('page.js', receiver.pageUrl))).text();
    expect(pageScript).toContain("fetch('received'");
    expect(pageScript).toContain('setTimeout(poll, 2000)');
    expect((await fetch(new URL('page.css', receiver.pageUrl))).headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('answers 404 to unknown paths and 405 to wrong methods', async () => {
    expect((await fetch(new URL('/nope', receiver.pageUrl))).status).toBe(404);
    expect((await fetch(receiver.url)).status).toBe(405);
    expect((await post({}, '/received')).status).toBe(405);
  });
});
