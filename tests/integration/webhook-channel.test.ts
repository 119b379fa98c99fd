import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FeedEvent } from '../../src/core/feed/feed-event.js';
import { eventCardPayload, type WebhookPayload } from '../../server/adapters/teams/cards.js';
import type { PostOptions, WebhookSender } from '../../server/adapters/teams/webhook-channel.js';
import { MAX_RETRY_AFTER_MS, parseRetryAfter, postToWebhook, sendPinned } from '../../server/adapters/teams/webhook-channel.js';
import type { Resolver } from '../../server/adapters/teams/webhook-target.js';
import { DEV_MODE_TARGETS, PRODUCTION_TARGETS } from '../../server/adapters/teams/webhook-target.js';
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

/** Posting to the stand-in on loopback is dev mode's allowance, asked for explicitly. */
const DEV: PostOptions = { targets: DEV_MODE_TARGETS };
/** An allowed Workflows host (no real DNS: every test that reaches resolution injects the resolver). */
const WORKFLOWS_URL = 'https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=TOP-SECRET-SIG';

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
    expect(await postToWebhook(receiver.url, payload, DEV)).toEqual({ ok: true, status: 202 });
    expect(receiver.received().map((r) => r.eventIds)).toEqual([['p1.e0']]);
    expect(receiver.received()[0]!.payload).toEqual(JSON.parse(JSON.stringify(payload)));
  });

  it('reports a 503 as retryable', async () => {
    receiver.failFor({ count: 1 });
    const result = await postToWebhook(receiver.url, payload, DEV);
    expect(result).toMatchObject({ ok: false, status: 503, retryable: true });
    expect(result.ok === false && result.error).toMatch(/unavailable \(503\)/);
    expect(result).not.toHaveProperty('retryAfterMs');
    expect(await postToWebhook(receiver.url, payload, DEV)).toEqual({ ok: true, status: 202 });
  });

  it.each([408, 429, 500, 502])('reports %i as retryable', async (status) => {
    receiver.failFor({ count: 1, status });
    expect(await postToWebhook(receiver.url, payload, DEV)).toMatchObject({ ok: false, status, retryable: true });
  });

  it('reports a wrong URL (404) as not retryable, saying what to check', async () => {
    const result = await postToWebhook(receiver.url.replace('/webhook', '/wrong-path'), payload, DEV);
    expect(result).toMatchObject({ ok: false, status: 404, retryable: false });
    expect(result.ok === false && result.error).toMatch(/^The Teams webhook refused the card \(404\): check the webhook URL in settings/);
  });

  it('reports a refused card (400) as not retryable, in fixed words (not the reason the webhook gave)', async () => {
    const bad = { ...payload, attachments: [] } as unknown as WebhookPayload;
    const result = await postToWebhook(receiver.url, bad, DEV);
    expect(result).toEqual({ ok: false, status: 400, retryable: false, error: 'The Teams webhook refused the card (400): it does not accept the card as sent' });
    expect(receiver.received()).toEqual([]);
  });

  it('gives up after the timeout on a server that never answers, as retryable', async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      const result = await postToWebhook(silent.url, payload, { ...DEV, timeoutMs: 200 });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(result).toEqual({ ok: false, status: null, retryable: true, error: 'The Teams webhook did not answer within 200 ms' });
    } finally {
      await silent.close();
    }
  });

  it('reports an unreachable webhook as retryable, in fixed words', async () => {
    const gone = await startFeedReceiver();
    const url = `${gone.url}?sig=TOP-SECRET`;
    await gone.stop();
    const result = await postToWebhook(url, payload, { ...DEV, timeoutMs: 2_000 });
    expect(result).toEqual({ ok: false, status: null, retryable: true, error: 'Could not reach the Teams webhook: the connection was refused' });
  });

  it('honours Retry-After', async () => {
    receiver.failFor({ count: 1, status: 429, retryAfterSeconds: 30 });
    expect(await postToWebhook(receiver.url, payload, DEV)).toMatchObject({ ok: false, status: 429, retryable: true, retryAfterMs: 30_000 });
    receiver.failFor({ count: 1, status: 503, retryAfterSeconds: 0 });
    expect(await postToWebhook(receiver.url, payload, DEV)).toMatchObject({ ok: false, status: 503, retryAfterMs: 0 });
  });

  it('turns down a URL that is not http(s) without trying, as not retryable', async () => {
    const send = spySender();
    for (const url of ['', 'not a url', 'ftp://example.com/hook', 'ftp://127.0.0.1/hook']) {
      expect(await postToWebhook(url, payload, { ...DEV, send })).toMatchObject({ ok: false, status: null, retryable: false });
    }
    expect(send).not.toHaveBeenCalled();
  });

  it('never throws, even when sending itself throws, and does not repeat what the error said', async () => {
    const throwing: WebhookSender = () => {
      throw new Error('boom at 10.20.30.40');
    };
    const result = await postToWebhook(WORKFLOWS_URL, payload, { resolve: resolvingTo('20.50.2.1'), send: throwing });
    expect(result).toEqual({ ok: false, status: null, retryable: true, error: 'Could not reach the Teams webhook' });
  });
});

/** A sender that stands where the connection would be made: answers 202 and records calls. */
const spySender = () => vi.fn<WebhookSender>(async () => ({ status: 202, retryAfter: null }));

/** A resolver answering with fixed addresses (no real DNS), recording look-ups. */
const resolvingTo = (...addresses: string[]) =>
  vi.fn<Resolver>(async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const));

/** A loopback server that answers every request with `answer` and counts connections and requests. */
async function scriptedServer(answer: (res: ServerResponse) => void) {
  let connections = 0;
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    answer(res);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}/webhook`,
    connections: () => connections,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('postToWebhook never follows a redirect', () => {
  it.each([307, 302, 308, 301])('a %i is a failure with a fixed text, and the place it points to receives nothing', async (status) => {
    const redirecting = await scriptedServer((res) => res.writeHead(status, { location: receiver.url }).end());
    try {
      const result = await postToWebhook(redirecting.url, payload, DEV);
      expect(result).toEqual({ ok: false, status, retryable: false, error: `The Teams webhook answered with a redirect (${status}), which Credit Desk does not follow: check the webhook URL in settings` });
      expect(redirecting.requests()).toBe(1);
      expect(receiver.received()).toEqual([]);
    } finally {
      await redirecting.close();
    }
  });
});

describe('postToWebhook outside dev mode', () => {
  it('refuses loopback and plain http without connecting', async () => {
    const server = await scriptedServer((res) => res.writeHead(202).end());
    try {
      for (const url of [server.url, `https://127.0.0.1:${server.port}/webhook`, `http://localhost:${server.port}/webhook`, `https://localhost/webhook`, `https://[::1]/webhook`, `https://[::ffff:127.0.0.1]/webhook`]) {
        const result = await postToWebhook(url, payload, { timeoutMs: 2_000 });
        expect(result, url).toMatchObject({ ok: false, status: null, retryable: false });
        expect(result.ok === false && result.error, url).toMatch(/must be https:\/\/ \(standard port\) on one of the Teams Workflows hosts \*\.logic\.azure\.com, \*\.api\.powerplatform\.com, \*\.webhook\.office\.com/);
      }
      expect(server.connections()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('refuses private, link-local and other non-public addresses given as the host, without a look-up or a request', async () => {
    const resolve = resolvingTo('20.50.2.1');
    const send = spySender();
    for (const url of ['https://10.1.2.3/hook', 'https://169.254.169.254/metadata/instance', 'https://192.168.1.10/hook', 'https://100.64.0.1/hook', 'https://[fd00::1]/hook', 'https://[fe80::1]/hook', 'https://0.0.0.0/hook']) {
      expect(await postToWebhook(url, payload, { resolve, send }), url).toMatchObject({ ok: false, status: null, retryable: false });
    }
    expect(resolve).not.toHaveBeenCalled();
    expect(send).not.toHaveBeenCalled();
  });

  it('refuses an allowed host whose name resolves to a private or local address, without a request', async () => {
    for (const address of ['127.0.0.1', '10.0.0.7', '172.16.5.4', '192.168.0.2', '169.254.169.254', '100.100.1.1', '::1', '::ffff:10.0.0.7', 'fd12:3456::1', 'fe80::abcd', '0.0.0.0']) {
      const send = spySender();
      const result = await postToWebhook(WORKFLOWS_URL, payload, { resolve: resolvingTo('20.50.2.1', address), send });
      expect(result, address).toMatchObject({ ok: false, status: null, retryable: false });
      expect(result.ok === false && result.error, address).toMatch(/^The Teams webhook's host resolves to a [a-z-]+ address, where Credit Desk does not post/);
      expect(JSON.stringify(result)).not.toContain(address);
      expect(send, address).not.toHaveBeenCalled();
    }
  });

  it('refuses a host off the allow-list, plain http and another port, without a look-up or a request', async () => {
    const resolve = resolvingTo('20.50.2.1');
    const send = spySender();
    for (const url of ['https://hooks.example.com/webhook', 'https://logic.azure.com.evil.example/x', 'https://evillogic.azure.com/x', 'http://prod-00.westeurope.logic.azure.com/workflows/abc', 'https://prod-00.westeurope.logic.azure.com:8443/workflows/abc', 'https://user:pw@prod-00.westeurope.logic.azure.com/workflows/abc']) {
      expect(await postToWebhook(url, payload, { resolve, send }), url).toMatchObject({ ok: false, status: null, retryable: false });
    }
    expect(resolve).not.toHaveBeenCalled();
    expect(send).not.toHaveBeenCalled();
  });

  it('posts to an allowed host at a public address, connecting to the address it checked', async () => {
    const resolve = resolvingTo('20.50.2.1', '2603:1020:203::10');
    const seen: string[][] = [];
    const send: WebhookSender = async (target) => {
      seen.push(target.addresses.map((a) => a.address));
      return { status: 202, retryAfter: null };
    };
    for (const url of [WORKFLOWS_URL, 'https://prod-00.westeurope.logic.azure.com:443/workflows/abc', 'https://default1234.09.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?sig=x', 'https://contoso.webhook.office.com/webhookb2/abc']) {
      expect(await postToWebhook(url, payload, { targets: PRODUCTION_TARGETS, resolve, send }), url).toEqual({ ok: true, status: 202 });
    }
    expect(resolve).toHaveBeenCalledTimes(4);
    expect(seen).toEqual(Array(4).fill(['20.50.2.1', '2603:1020:203::10']));
  });

  it('counts a look-up that never ends in the timeout, without a request', async () => {
    const send = spySender();
    const hanging: Resolver = () => new Promise(() => {});
    const result = await postToWebhook(WORKFLOWS_URL, payload, { resolve: hanging, send, timeoutMs: 200 });
    expect(result).toEqual({ ok: false, status: null, retryable: true, error: 'The Teams webhook did not answer within 200 ms' });
    expect(send).not.toHaveBeenCalled();
  });

  it('reports a name that does not resolve as retryable, without a request', async () => {
    const send = spySender();
    const failing: Resolver = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND internal.corp.local'), { code: 'ENOTFOUND' }));
    expect(await postToWebhook(WORKFLOWS_URL, payload, { resolve: failing, send })).toEqual({ ok: false, status: null, retryable: true, error: "Could not find the Teams webhook's host (DNS)" });
    expect(send).not.toHaveBeenCalled();
  });

  it('takes the allowed hosts it is given (CREDIT_DESK_WEBHOOK_HOSTS)', async () => {
    const send = spySender();
    const options = { targets: { hosts: ['hooks.contoso.example'], allowLoopback: false }, resolve: resolvingTo('20.50.2.1'), send };
    expect(await postToWebhook('https://hooks.contoso.example/flow', payload, options)).toEqual({ ok: true, status: 202 });
    expect(await postToWebhook(WORKFLOWS_URL, payload, options)).toMatchObject({ ok: false, error: expect.stringMatching(/hosts hooks\.contoso\.example \(CREDIT_DESK_WEBHOOK_HOSTS\)\.$/) });
    expect(send).toHaveBeenCalledTimes(1);
  });
});

describe('postToWebhook in dev mode', () => {
  it('posts to the stand-in on loopback, but not to a loopback name that resolves elsewhere', async () => {
    expect(await postToWebhook(receiver.url.replace('127.0.0.1', 'localhost'), payload, { ...DEV, resolve: resolvingTo('127.0.0.1') })).toEqual({ ok: true, status: 202 });
    const send = spySender();
    const result = await postToWebhook(receiver.url.replace('127.0.0.1', 'localhost'), payload, { ...DEV, resolve: resolvingTo('127.0.0.1', '10.0.0.7'), send });
    expect(result).toMatchObject({ ok: false, retryable: false, error: expect.stringMatching(/resolves to a private address/) });
    expect(send).not.toHaveBeenCalled();
    expect(receiver.received()).toHaveLength(1);
  });

  it('still refuses private addresses and hosts off the allow-list', async () => {
    const send = spySender();
    for (const url of ['https://10.1.2.3/hook', 'https://169.254.169.254/metadata', 'https://hooks.example.com/webhook']) {
      expect(await postToWebhook(url, payload, { ...DEV, resolve: resolvingTo('20.50.2.1'), send }), url).toMatchObject({ ok: false, retryable: false });
    }
    expect(send).not.toHaveBeenCalled();
  });
});

describe('postToWebhook reports answers by status, never by their body', () => {
  const SECRET = 'sk_live_51Hx-internal-db.corp.local:5432-password=hunter2';
  it.each([400, 401, 404, 413, 429, 500, 503])('%i with a body that says things: none of it reaches the result', async (status) => {
    const talkative = await scriptedServer((res) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'Oops', message: `${SECRET} at /workflows/abc?sig=TOP-SECRET-SIG` } })),
    );
    try {
      const result = await postToWebhook(`${talkative.url}?sig=TOP-SECRET-SIG`, payload, DEV);
      expect(result).toMatchObject({ ok: false, status });
      const text = JSON.stringify(result);
      for (const secret of [SECRET, 'hunter2', 'corp.local', 'TOP-SECRET-SIG', 'Oops']) expect(text).not.toContain(secret);
    } finally {
      await talkative.close();
    }
  });
});

describe('sendPinned', () => {
  it('connects to the vetted address, not to whatever the name resolves to now, and keeps the name in Host', async () => {
    let host: string | undefined;
    const server = await scriptedServer((res) => res.writeHead(202).end());
    const named = createServer((req, res) => {
      host = req.headers.host;
      req.resume();
      res.writeHead(202).end();
    });
    await new Promise<void>((resolve) => named.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = named.address() as AddressInfo;
      // `.invalid` never resolves (RFC 6761): only the pinned address can have been used.
      const url = new URL(`http://rebound.invalid:${port}/webhook`);
      const answer = await sendPinned({ url, addresses: [{ address: '127.0.0.1', family: 4 }] }, '{}', AbortSignal.timeout(5_000));
      expect(answer).toEqual({ status: 202, retryAfter: null });
      expect(host).toBe(`rebound.invalid:${port}`);
      expect(server.connections()).toBe(0);
    } finally {
      await server.close();
      await new Promise<void>((resolve) => named.close(() => resolve()));
    }
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
