/**
 * Defences (issue 8) over real HTTP against the local stack: the per-person rate limits on changes and on
 * reads, read from the tenant's settings (this file runs without the tests' generous fixed limit), CORS for configured
 * origins, security headers on every answer, and the body limit enforced without reading a huge body.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { ApiAnswer, TestApi } from '../support/api.js';
import { EMPLOYEES, IT, startTestApi } from '../support/api.js';

let api: TestApi;
const ALLOWED = 'https://desk.contoso.example';
const OTHER = 'https://evil.example';
const [alice, bob, carol, dana] = EMPLOYEES as [DemoUser, DemoUser, DemoUser, DemoUser];

const today = () => new Date().toISOString().slice(0, 10);
const usage = (credits = 1) => ({ service: 'other', credits, date: today() });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The person's own credits left. */
async function credits(user: DemoUser): Promise<number> {
  const me = await api.call(user, 'GET', '/api/me');
  expect(me.status).toBe(200);
  return me.body.credits.own as number;
}

function expectRateLimited(answer: ApiAnswer) {
  expect(answer.status).toBe(429);
  expect(answer.body.error.code).toBe('RATE_LIMITED');
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(answer.body.error.details.retryAfterSeconds).toBe(retryAfter);
  return retryAfter;
}

async function putRateLimit(rateLimit: { perMinute: number; burst: number }, field: 'rateLimit' | 'readRateLimit' = 'rateLimit') {
  const settings = await api.call(IT, 'GET', '/api/settings');
  const put = await api.call(IT, 'PUT', '/api/settings', { body: { ...settings.body, [field]: rateLimit } });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
}

beforeAll(async () => {
  // No fixed limit: the default of the settings applies, as in production.
  api = await startTestApi({ allowedOrigins: [ALLOWED] });
  for (const user of [alice, bob]) await api.register(user);
  // Registering took one of each person's tokens; half a second gives it back.
  await sleep(700);
});

afterAll(async () => {
  await api?.stack.stop();
});

describe('per-person rate limit on changes (default: 120 a minute, bursts of 30)', () => {
  it('the changes past a burst of 30 get 429 with Retry-After, and nothing of them is written', async () => {
    expect(await credits(alice)).toBe(100);
    const keys = Array.from({ length: 36 }, () => randomUUID());
    const sent = Date.now();
    const answers = await Promise.all(keys.map((key) => api.call(alice, 'POST', '/api/usage', { body: usage(), key })));
    // Tokens come back at 120 a minute while the 36 are answered (more of them on a busy machine).
    const cameBack = Math.ceil(((Date.now() - sent) / 60_000) * 120);
    const allowed = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 429);
    // 30 at once, and those that came back meanwhile.
    expect(allowed.length).toBeGreaterThanOrEqual(30);
    expect(allowed.length).toBeLessThanOrEqual(30 + cameBack);
    expect(refused.length).toBeGreaterThan(0);
    expect(allowed.length + refused.length).toBe(36);
    for (const answer of refused) expect(expectRateLimited(answer)).toBeLessThanOrEqual(2);
    // Only the allowed ones moved credits.
    expect(await credits(alice)).toBe(100 - allowed.length);

    // A refused change left no trace: retried with the same key later, it is done now (not replayed).
    const refusedKey = keys[answers.findIndex((a) => a.status === 429)]!;
    await sleep(Number(refused[0]!.headers.get('retry-after')) * 1000);
    const retried = await api.call(alice, 'POST', '/api/usage', { body: usage(), key: refusedKey });
    expect(retried.status).toBe(201);
    expect(await credits(alice)).toBe(100 - allowed.length - 1);
    expect((await api.ledgerCheck()).ok).toBe(true);
  });

  it('another person is not limited by the first one, and reads do not count as changes', async () => {
    // Alice has used her burst; Bob has his own.
    await Promise.all(Array.from({ length: 30 }, () => api.call(alice, 'POST', '/api/usage', { body: usage(0.5) })));
    expect((await api.call(alice, 'POST', '/api/usage', { body: usage(0.5) })).status).toBe(429);
    expect((await api.call(bob, 'POST', '/api/usage', { body: usage(0.5) })).status).toBe(201);
    // GETs by the limited person: all answered (within the burst of reads, 100 by default).
    const reads = await Promise.all(Array.from({ length: 60 }, (_v, i) => api.call(alice, 'GET', i % 2 ? '/api/me' : '/api/policy')));
    expect(reads.map((r) => r.status)).toEqual(reads.map(() => 200));
  });

  it('comes after authentication and authorization: anonymous changes are 401, a role that may not is 403', async () => {
    const anonymous = await Promise.all(Array.from({ length: 35 }, () => api.call(undefined, 'POST', '/api/usage', { body: usage() })));
    expect(new Set(anonymous.map((a) => a.status))).toEqual(new Set([401]));
    // Alice is limited right now, but a manager's route tells her it is not hers first.
    expect((await api.call(alice, 'POST', '/api/purchases', { body: { blocks: 1 } })).status).toBe(403);
  });

  it('a settings change takes effect at once: a lower limit, then a higher one', async () => {
    await putRateLimit({ perMinute: 1, burst: 3 });
    const answers: ApiAnswer[] = [];
    // Sequential: the 4th change is refused; at 1 a minute the next token is a minute away.
    for (let i = 0; i < 4; i++) answers.push(await api.call(carol, 'POST', '/api/registrations', { body: {} }));
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([201, 409, 409]);
    const retryAfter = expectRateLimited(answers[3]!);
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(answers[3]!.body.error.details).toMatchObject({ perMinute: 1, burst: 3 });
    // Dana starts with the new burst of 3 too.
    const dana4: number[] = [];
    for (let i = 0; i < 4; i++) dana4.push((await api.call(dana, 'POST', '/api/registrations', { body: {} })).status);
    expect(dana4).toEqual([201, 409, 409, 429]);

    await putRateLimit({ perMinute: 60_000, burst: 1_000 });
    await sleep(50);
    expect((await api.call(carol, 'POST', '/api/registrations', { body: {} })).status).toBe(409);
    const many = await Promise.all(Array.from({ length: 100 }, () => api.call(dana, 'POST', '/api/registrations', { body: {} })));
    expect(new Set(many.map((a) => a.status))).toEqual(new Set([409]));
    const settings = await api.call(IT, 'GET', '/api/settings');
    expect(settings.body.rateLimit).toEqual({ perMinute: 60_000, burst: 1_000 });
  });
});

describe('per-person rate limit on reads (default: 600 a minute, bursts of 100)', () => {
  it('a lower read limit in settings takes effect at once, for each person on their own, apart from changes', async () => {
    await putRateLimit({ perMinute: 1, burst: 3 }, 'readRateLimit');
    // IT's own read of the settings above came before the change; sequential: the 4th read is refused.
    const carolReads: ApiAnswer[] = [];
    for (let i = 0; i < 4; i++) carolReads.push(await api.call(carol, 'GET', '/api/pool'));
    expect(carolReads.slice(0, 3).map((a) => a.status)).toEqual([200, 200, 200]);
    const retryAfter = expectRateLimited(carolReads[3]!);
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(carolReads[3]!.body.error.details).toMatchObject({ perMinute: 1, burst: 3, limit: 'reads' });
    // Her changes have their own bucket; Dana's reads have hers.
    expect((await api.call(carol, 'POST', '/api/registrations', { body: {} })).status).toBe(409);
    expect((await api.call(dana, 'GET', '/api/pool')).status).toBe(200);

    // IT sets it back: IT's own bucket still holds reads enough for this.
    const settings = await api.call(IT, 'GET', '/api/settings');
    expect(settings.body.readRateLimit).toEqual({ perMinute: 1, burst: 3 });
    const put = await api.call(IT, 'PUT', '/api/settings', { body: { ...settings.body, readRateLimit: { perMinute: 60_000, burst: 1_000 } } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await api.call(carol, 'GET', '/api/pool')).status).toBe(200);
  });
});

describe('CORS for configured origins only', () => {
  it('names an allowed origin in the answer and lets the page read Retry-After', async () => {
    const answer = await api.call(alice, 'GET', '/api/me', { headers: { origin: ALLOWED } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(answer.headers.get('access-control-expose-headers')).toContain('retry-after');
    expect(answer.headers.get('vary')?.toLowerCase()).toContain('origin');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives another origin no CORS headers (the browser then keeps the answer from its page)', async () => {
    for (const origin of [OTHER, 'null', `${ALLOWED}.evil.example`, ALLOWED.replace('https', 'http')]) {
      const answer = await api.call(alice, 'GET', '/api/me', { headers: { origin } });
      expect(answer.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
    expect((await api.call(alice, 'GET', '/api/me')).headers.get('access-control-allow-origin')).toBeNull();
  });

  async function preflight(path: string, origin: string | undefined, method = 'POST') {
    const headers: Record<string, string> = { 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type, idempotency-key' };
    if (origin) headers.origin = origin;
    return fetch(api.url + path, { method: 'OPTIONS', headers });
  }

  it('answers a preflight from an allowed origin with the route methods and headers', async () => {
    const answer = await preflight('/api/usage', ALLOWED);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(answer.headers.get('access-control-allow-methods')?.split(', ').sort()).toEqual(['GET', 'POST']);
    expect(answer.headers.get('access-control-allow-headers')).toBe('authorization, content-type, idempotency-key');
    expect(Number(answer.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    const settings = await preflight('/api/settings', ALLOWED, 'PUT');
    expect(settings.headers.get('access-control-allow-methods')?.split(', ').sort()).toEqual(['GET', 'PUT']);
  });

  it('refuses a preflight from another origin with 403 and no CORS headers; an unknown path is 404', async () => {
    const refused = await preflight('/api/usage', OTHER);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('access-control-allow-methods')).toBeNull();
    expect((await preflight('/api/nothing-here', ALLOWED)).status).toBe(404);
    // A plain OPTIONS (no Origin) learns the methods.
    const plain = await preflight('/api/usage', undefined);
    expect(plain.status).toBe(204);
    expect(plain.headers.get('allow')).toContain('POST');
  });

  it('a 429 to an allowed origin carries the CORS headers, so the page can read why and when', async () => {
    await putRateLimit({ perMinute: 1, burst: 1 });
    const first = await api.call(bob, 'POST', '/api/usage', { body: usage(0.5), headers: { origin: ALLOWED } });
    const second = await api.call(bob, 'POST', '/api/usage', { body: usage(0.5), headers: { origin: ALLOWED } });
    expect(first.status).toBe(201);
    expectRateLimited(second);
    expect(second.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(second.headers.get('access-control-expose-headers')).toContain('retry-after');
    await putRateLimit({ perMinute: 60_000, burst: 1_000 });
  });
});

describe('the dev API and DNS rebinding', () => {
  /** A request over real HTTP from loopback with the Host header a rebound page's browser sends. */
  function withHost(host: string, method: string, path: string, body?: unknown) {
    const { port } = api.stack.server.address() as AddressInfo;
    return new Promise<{ status: number; body: any }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request({ host: '127.0.0.1', port, method, path, headers: { host, ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  it('a page on another name pointed at 127.0.0.1 mints no dev token; the dev server\'s own names do', async () => {
    for (const host of ['evil.example', `evil.example:${(api.stack.server.address() as AddressInfo).port}`, 'localhost.evil.example']) {
      const minted = await withHost(host, 'POST', '/api/dev/token', { user: IT.email });
      expect(minted.status, host).toBe(403);
      expect(minted.body.error.code, host).toBe('HOST_NOT_ALLOWED');
      expect(minted.body.token, host).toBeUndefined();
      expect((await withHost(host, 'GET', '/api/dev/users')).status, host).toBe(403);
    }
    for (const host of ['localhost:5173', '127.0.0.1', '[::1]:7071']) {
      const minted = await withHost(host, 'POST', '/api/dev/token', { user: IT.email });
      expect(minted.status, host).toBe(200);
      expect(typeof minted.body.token).toBe('string');
    }
  });
});

describe('security headers on every API answer', () => {
  it('JSON that is never sniffed, cached, rendered, framed or given a referrer', async () => {
    const answers = [
      await api.call(undefined, 'GET', '/api/healthz'),
      await api.call(undefined, 'GET', '/api/nothing-here'),
      await api.call(undefined, 'GET', '/api/me'),
      await api.call(alice, 'GET', '/api/me'),
      await api.call(bob, 'POST', '/api/usage', { body: usage(0.25) }),
      await api.call(bob, 'POST', '/api/usage', { body: { service: 'other' } }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 401, 200, 201, 400]);
    for (const answer of answers) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });
});

describe('body size limit', () => {
  /** Streams `total` bytes of body and counts what the API host's sockets actually received. */
  async function hugePost(total: number, options: { declareLength: boolean }) {
    const token = await api.token(alice);
    let received = 0;
    const count = (socket: import('node:net').Socket) => socket.on('data', (d: Buffer) => (received += d.length));
    api.stack.server.on('connection', count);
    const { port } = api.stack.server.address() as AddressInfo;
    try {
      return await new Promise<{ status: number; body: any; sent: number; received: number; connection: string | undefined }>((resolve, reject) => {
        let sent = 0;
        let done = false;
        const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() };
        if (options.declareLength) headers['content-length'] = String(total);
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/usage', headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            done = true;
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), sent, received, connection: res.headers.connection });
          });
        });
        // Once the host has answered it cuts the connection: the rest of the body can no longer be sent.
        req.on('error', (e) => (done ? undefined : reject(e)));
        const chunk = Buffer.alloc(256 * 1024, 0x20);
        const pump = () => {
          while (!done && sent < total) {
            sent += chunk.length;
            if (!req.write(chunk)) {
              req.once('drain', pump);
              return;
            }
          }
          if (!done) req.end();
        };
        pump();
      });
    } finally {
      api.stack.server.off('connection', count);
    }
  }

  it('a 100 MiB body gets 413 PAYLOAD_TOO_LARGE long before it is all sent, declared or chunked', async () => {
    const before = await credits(alice);
    for (const declareLength of [true, false]) {
      const result = await hugePost(100 * 1024 * 1024, { declareLength });
      expect(result.status).toBe(413);
      expect(result.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(result.connection).toBe('close');
      // The host stopped reading at the limit: what it got is the limit plus socket buffers, not 100 MiB.
      expect(result.received).toBeLessThan(8 * 1024 * 1024);
      expect(result.sent).toBeLessThan(50 * 1024 * 1024);
    }
    // The host carries on, and nothing was written.
    expect(await credits(alice)).toBe(before);
    expect((await api.call(bob, 'POST', '/api/usage', { body: usage(0.25) })).status).toBe(201);
  });

  it('a body just over 64 KiB is 413 too, and one at the limit is read (and judged on its content)', async () => {
    const over = await api.call(alice, 'POST', '/api/usage', { rawBody: JSON.stringify({ ...usage(), note: 'x'.repeat(64 * 1024) }) });
    expect(over.status).toBe(413);
    expect(over.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const padded = JSON.stringify(usage());
    const atLimit = await api.call(alice, 'POST', '/api/usage', { rawBody: padded + ' '.repeat(64 * 1024 - padded.length) });
    expect(atLimit.status).toBe(201);
  });
});
