import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FeedEvent } from '../../src/core/feed-event.js';
import { eventCardPayload, type WebhookPayload } from '../../server/adapters/teams/cards.js';
import { MAX_RETRY_AFTER_MS, parseRetryAfter, postToWebhook } from '../../server/adapters/teams/webhook-channel.js';
import { startFeedReceiver, type FeedReceiver } from '../../server/local/feed-receiver.js';

const event: FeedEvent = {
  id: 'p1.e0',
  postingId: 'p1',
  kind: 'alert_pool_low',
  at: '2025-01-14T09:30:00.000Z',
  actor: 'usage-import',
  poolAfter: 4_000,
  message: 'The pool is down to 40: time to order more.',
};
const payload = eventCardPayload(event, { tabUrl: 'https://desk.example.com/' });

let receiver: FeedReceiver;

beforeAll(async () => {
  receiver = await startFeedReceiver();
});
afterAll(async () => {
  await receiver.stop();
});
beforeEach(() => receiver.reset());

/** A server that takes connections and never answers. */
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('postToWebhook', () => {
  it('delivers the card: 2xx is ok', async () => {
    expect(await postToWebhook(receiver.url, payload)).toEqual({ ok: true, status: 202 });
    expect(receiver.received().map((r) => r.eventIds)).toEqual([['p1.e0']]);
    expect(receiver.received()[0]!.payload).toEqual(JSON.parse(JSON.stringify(payload)));
  });

  it('reports a 503 as retryable', async () => {
    receiver.failFor({ count: 1 });
    const result = await postToWebhook(receiver.url, payload);
    expect(result).toMatchObject({ ok: false, status: 503, retryable: true });
    expect(result.ok === false && result.error).toMatch(/unavailable \(503\)/);
    expect(result).not.toHaveProperty('retryAfterMs');
    expect(await postToWebhook(receiver.url, payload)).toEqual({ ok: true, status: 202 });
  });

  it.each([408, 429, 500, 502])('reports %i as retryable', async (status) => {
    receiver.failFor({ count: 1, status });
    expect(await postToWebhook(receiver.url, payload)).toMatchObject({ ok: false, status, retryable: true });
  });

  it('reports a wrong URL (404) as not retryable, saying what to check', async () => {
    const result = await postToWebhook(receiver.url.replace('/webhook', '/wrong-path'), payload);
    expect(result).toMatchObject({ ok: false, status: 404, retryable: false });
    expect(result.ok === false && result.error).toMatch(/^The Teams webhook refused the card \(404\): check the webhook URL in settings/);
  });

  it('reports a refused card (400) as not retryable, with the reason the webhook gave', async () => {
    const bad = { ...payload, attachments: [] } as unknown as WebhookPayload;
    const result = await postToWebhook(receiver.url, bad);
    expect(result).toMatchObject({ ok: false, status: 400, retryable: false });
    expect(result.ok === false && result.error).toMatch(/refused the card \(400\).*non-empty "attachments"/);
    expect(receiver.received()).toEqual([]);
  });

  it('gives up after the timeout on a server that never answers, as retryable', async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      const result = await postToWebhook(silent.url, payload, { timeoutMs: 200 });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(result).toEqual({ ok: false, status: null, retryable: true, error: 'The Teams webhook did not answer within 200 ms' });
    } finally {
      await silent.close();
    }
  });

  it('reports an unreachable webhook as retryable, without the URL secret', async () => {
    const gone = await startFeedReceiver();
    const url = `${gone.url}?sig=TOP-SECRET`;
    await gone.stop();
    const result = await postToWebhook(url, payload, { timeoutMs: 2_000 });
    expect(result).toMatchObject({ ok: false, status: null, retryable: true });
    expect(result.ok === false && result.error).toMatch(/^Could not reach the Teams webhook/);
    expect(JSON.stringify(result)).not.toContain('TOP-SECRET');
  });

  it('keeps the signature out of the error when the webhook echoes the URL back', async () => {
    const echo = createServer((req, res) => {
      req.resume();
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NotFound', message: `No flow at ${req.url}` } }));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = echo.address() as AddressInfo;
      const result = await postToWebhook(`http://127.0.0.1:${port}/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=TOP-SECRET-SIG`, payload);
      expect(result).toMatchObject({ ok: false, status: 404, retryable: false });
      expect(result.ok === false && result.error).toMatch(/\(the webhook said: No flow at \/workflows\/abc\/triggers\/manual\/paths\/invoke\?api-version=1&sig=…\)$/);
      expect(JSON.stringify(result)).not.toContain('TOP-SECRET-SIG');
    } finally {
      await new Promise<void>((resolve) => echo.close(() => resolve()));
    }
  });

  it('honours Retry-After', async () => {
    receiver.failFor({ count: 1, status: 429, retryAfterSeconds: 30 });
    expect(await postToWebhook(receiver.url, payload)).toMatchObject({ ok: false, status: 429, retryable: true, retryAfterMs: 30_000 });
    receiver.failFor({ count: 1, status: 503, retryAfterSeconds: 0 });
    expect(await postToWebhook(receiver.url, payload)).toMatchObject({ ok: false, status: 503, retryAfterMs: 0 });
  });

  it('turns down a URL that is not http(s) without trying, as not retryable', async () => {
    let called = false;
    const spy = (async () => {
      called = true;
      return new Response(null, { status: 202 });
    }) as typeof fetch;
    for (const url of ['', 'not a url', 'ftp://example.com/hook']) {
      expect(await postToWebhook(url, payload, { fetch: spy })).toMatchObject({ ok: false, status: null, retryable: false });
    }
    expect(called).toBe(false);
  });

  it('never throws, even when fetch itself throws', async () => {
    const throwing = (() => {
      throw new Error('boom');
    }) as typeof fetch;
    expect(await postToWebhook('https://example.com/hook', payload, { fetch: throwing })).toEqual({ ok: false, status: null, retryable: true, error: 'Could not reach the Teams webhook: boom' });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-14T09:30:00Z');
  it('reads seconds and HTTP dates, caps long waits and ignores nonsense', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 5 ', now)).toBe(5_000);
    expect(parseRetryAfter('Tue, 14 Jan 2025 09:31:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Tue, 14 Jan 2025 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
