import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient } from '../../../src/platform/api-client.js';
import type { AuthProvider } from '../../../src/platform/auth.js';

const auth = { kind: 'dev', getToken: async () => 'token' } as unknown as AuthProvider;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the API client', () => {
  it('keeps the request id the API names a refusal by, for the Details IT quotes to support', async () => {
    const body = JSON.stringify({ error: { code: 'POOL_INSUFFICIENT', message: 'The shared pool has 5 left.', details: { poolBalance: 5 } } });
    vi.stubGlobal('fetch', async () => new Response(body, { status: 422, headers: { 'content-type': 'application/json', 'x-request-id': 'req-42' } }));
    const api = createApiClient(auth, 'http://127.0.0.1:1');
    const refusal = await api('pool', {}).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ status: 422, code: 'POOL_INSUFFICIENT', requestId: 'req-42', details: { poolBalance: 5 } });
  });
});
