import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/platform/api-client.js';
import { GraphError, createGraphClient, retryAfterMs } from '../../../src/platform/graph-request.js';

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang' | 'network';

/** A fetch that answers from a script, one answer per call, and records what it was asked. */
function scripted(answers: Answer[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected call ${url}`);
    if (next === 'network') throw new TypeError('fetch failed');
    if (next === 'hang') {
      return new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    }
    return new Response(next.body === undefined ? null : JSON.stringify(next.body), { status: next.status, headers: next.headers ?? {} });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

function client(answers: Answer[], options: { maxWaitMs?: number; timeoutMs?: number; token?: () => Promise<string> } = {}) {
  const { fetch, calls } = scripted(answers);
  const sleeps: number[] = [];
  const graph = createGraphClient({
    baseUrl: '/graph/',
    token: options.token ?? (async () => 'tok-1'),
    fetch,
    sleep: async (ms) => void sleeps.push(ms),
    ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  return { graph, calls, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<GraphError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphError);
  expect(error).toBeInstanceOf(ApiError);
  return error as GraphError;
}

describe('Graph requests', () => {
  it('sends the delegated token under /v1.0 of the base and asks for HTML bodies', async () => {
    const { graph, calls } = client([{ status: 200, body: { id: 'm1' } }]);
    expect(await graph.get('/me/messages/m1')).toEqual({ id: 'm1' });
    expect(calls[0]!.url).toBe('/graph/v1.0/me/messages/m1');
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bearer tok-1');
    expect(headers.prefer).toBe('outlook.body-content-type="html"');
    expect(calls[0]!.init.method).toBe('GET');
  });

  it('posts JSON', async () => {
    const { graph, calls } = client([{ status: 201, body: { id: 'new' } }]);
    await graph.post('/me/messages/m1/move', { destinationId: 'inbox' });
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.body).toBe('{"destinationId":"inbox"}');
    expect((calls[0]!.init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('waits as long as Retry-After says on 429 and 503, then succeeds', async () => {
    const { graph, calls, sleeps } = client([
      { status: 429, headers: { 'retry-after': '2' }, body: { error: { code: 'TooManyRequests' } } },
      { status: 503, headers: { 'retry-after': '1' } },
      { status: 200, body: { ok: true } },
    ]);
    expect(await graph.get('/me')).toEqual({ ok: true });
    expect(sleeps).toEqual([2000, 1000]);
    expect(calls).toHaveLength(3);
  });

  it('backs off 0.5 s, 1 s, 2 s without Retry-After, then gives up with a coded error', async () => {
    const { graph, calls, sleeps } = client([{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }]);
    const error = await failure(graph.get('/me'));
    expect(error.code).toBe('GRAPH_UNAVAILABLE');
    expect(error.status).toBe(503);
    expect(error.retryable).toBe(true);
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect(calls).toHaveLength(4);
  });

  it('does not sit through a Retry-After longer than the page can wait, and says how long', async () => {
    const { graph, calls, sleeps } = client([{ status: 429, headers: { 'retry-after': '120' } }], { maxWaitMs: 10_000 });
    const error = await failure(graph.get('/me'));
    expect(error.code).toBe('GRAPH_THROTTLED');
    expect(error.message).toMatch(/120 seconds/);
    expect(error.details).toMatchObject({ retryAfterSeconds: 120 });
    expect(sleeps).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('maps 403 to the missing permission in words for the employee, keeping Graph’s own code', async () => {
    const { graph } = client([{ status: 403, body: { error: { code: 'ErrorAccessDenied', message: 'Access is denied.' } } }]);
    const error = await failure(graph.get('/me/messages'));
    expect(error.code).toBe('GRAPH_FORBIDDEN');
    expect(error.message).toMatch(/IT has to allow it first/);
    expect(error.message).not.toMatch(/Mail\.ReadWrite/);
    expect(error.details).toEqual({ graphCode: 'ErrorAccessDenied', graphMessage: 'Access is denied.' });
    expect(error.retryable).toBe(false);
  });

  it('maps 401, 404 and 400 to their own codes', async () => {
    expect((await failure(client([{ status: 401 }]).graph.get('/me'))).code).toBe('GRAPH_UNAUTHENTICATED');
    expect((await failure(client([{ status: 404 }]).graph.get('/me'))).code).toBe('GRAPH_NOT_FOUND');
    const bad = await failure(client([{ status: 400, body: { error: { code: 'BadRequest', message: 'Invalid filter clause' } } }]).graph.get('/me'));
    expect(bad.code).toBe('GRAPH_BAD_REQUEST');
    expect(bad.message).toMatch(/Invalid filter clause/);
  });

  it('times out a request that does not answer', async () => {
    const { graph } = client(['hang'], { timeoutMs: 30 });
    const error = await failure(graph.get('/me'));
    expect(error.code).toBe('GRAPH_TIMEOUT');
    expect(error.retryable).toBe(true);
  });

  it('says so when Graph cannot be reached, or the token cannot be had', async () => {
    expect((await failure(client(['network']).graph.get('/me'))).code).toBe('GRAPH_UNREACHABLE');
    const consent = await failure(client([], { token: async () => Promise.reject(new Error('user_cancelled')) }).graph.get('/me'));
    expect(consent.code).toBe('GRAPH_CONSENT_NEEDED');
    expect(consent.message).toMatch(/user_cancelled/);
  });

  it('follows @odata.nextLink on its own base, whatever host the link names', async () => {
    const { graph, calls } = client([
      { status: 200, body: { value: [1, 2], '@odata.nextLink': 'http://127.0.0.1:9/v1.0/me/messages?$skiptoken=abc' } },
      { status: 200, body: { value: [3], '@odata.nextLink': 'https://graph.microsoft.com/v1.0/me/messages?$skiptoken=def' } },
      { status: 200, body: { value: [4] } },
    ]);
    expect(await graph.all('/me/messages?$top=2')).toEqual([1, 2, 3, 4]);
    expect(calls.map((c) => c.url)).toEqual(['/graph/v1.0/me/messages?$top=2', '/graph/v1.0/me/messages?$skiptoken=abc', '/graph/v1.0/me/messages?$skiptoken=def']);
  });

  it('stops paging at the page limit', async () => {
    const page = { status: 200, body: { value: ['x'], '@odata.nextLink': 'https://graph.microsoft.com/v1.0/me/messages?$skiptoken=more' } };
    const { graph, calls } = client([page, page, page]);
    expect(await graph.all('/me/messages', 2)).toEqual(['x', 'x']);
    expect(calls).toHaveLength(2);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs('Fri, 27 Nov 2026 10:00:05 GMT', Date.parse('2026-11-27T10:00:00Z'))).toBe(5000);
  });
});
