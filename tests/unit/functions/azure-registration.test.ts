import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RouteDef } from '../../../src/contract/index.js';
import { ROUTES } from '../../../src/contract/index.js';

type Handler = (request: unknown, context: unknown) => Promise<{ status: number; jsonBody?: unknown; body?: unknown }>;

const registered = vi.hoisted(() => ({ http: new Map<string, { route: string; handler: Handler }>(), timers: [] as string[], streaming: false }));
const compose = vi.hoisted(() => ({ attempts: 0, failFirst: 0, requests: [] as { body: unknown; bodyTooLarge?: boolean; stream?: unknown }[], extras: [] as Record<string, unknown>[] }));

vi.mock('@azure/functions', () => ({
  default: {
    app: {
      http: (name: string, options: { route: string; handler: Handler }) => registered.http.set(name, options),
      timer: (name: string) => registered.timers.push(name),
      setup: (options: { enableHttpStream?: boolean }) => (registered.streaming = options.enableHttpStream === true),
    },
  },
}));

vi.mock('../../../server/compose.js', () => ({
  composeServer: (_config: unknown, extras: Record<string, unknown>) => {
    compose.attempts += 1;
    compose.extras.push(extras);
    if (compose.attempts <= compose.failFirst) return Promise.reject(new Error('storage unreachable'));
    return Promise.resolve({
      pipeline: (request: { body: unknown; bodyTooLarge?: boolean; stream?: unknown }) => {
        compose.requests.push(request);
        return Promise.resolve({ status: 200, headers: {}, body: '{"ok":true}' });
      },
    });
  },
}));

const APS_SETTINGS = ['CREDIT_DESK_APS_CLIENT_ID', 'CREDIT_DESK_APS_CLIENT_SECRET', 'CREDIT_DESK_APS_CALLBACK_URL'];

const request = { url: 'https://func.example/api/healthz', method: 'GET', headers: new Headers(), body: null, arrayBuffer: async () => new ArrayBuffer(0) };
const context = { error: () => undefined };

describe('the Azure Functions registration', () => {
  beforeEach(() => {
    vi.resetModules();
    registered.http.clear();
    registered.timers.length = 0;
    compose.attempts = 0;
    compose.failFirst = 0;
    compose.extras.length = 0;
    process.env.CREDIT_DESK_STORAGE = 'UseDevelopmentStorage=true';
    for (const name of APS_SETTINGS) delete process.env[name];
  });
  afterEach(() => {
    for (const name of APS_SETTINGS) delete process.env[name];
  });

  it('registers every route of the table but the dev ones, and the timers', async () => {
    await import('../../../server/azure.js');
    const expected = (Object.entries(ROUTES) as [string, RouteDef][]).filter(([, r]) => !r.devOnly).map(([name]) => name);
    expect([...registered.http.keys()].sort()).toEqual(expected.sort());
    expect(registered.http.get('memberLookup')?.route).toBe('members/lookup');
    expect(registered.timers.sort()).toEqual(['alerts', 'backup', 'directoryRefresh', 'feedDispatch', 'holdExpiry', 'importResume', 'packExpiry', 'usagePull']);
  });

  it('streams uploads: the upload route gets the request body unread, whatever its size', async () => {
    await import('../../../server/azure.js');
    expect(registered.streaming).toBe(true);
    const body = new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    const upload = registered.http.get('uploadImport')!.handler;
    const headers = new Headers({ 'content-length': String(150 * 1024 * 1024), 'content-type': 'text/csv' });
    const answer = await upload({ ...request, url: 'https://func.example/api/usage/imports?fileName=a.csv', method: 'POST', headers, body, arrayBuffer: () => Promise.reject(new Error('buffered')) }, context);
    expect(answer.status).toBe(200);
    expect(compose.requests.at(-1)).toMatchObject({ body: undefined, stream: body });
    expect(compose.requests.at(-1)?.bodyTooLarge).toBeUndefined();
  });

  it('answers 503 while the server cannot start, and starts on a later request', async () => {
    compose.failFirst = 1;
    await import('../../../server/azure.js');
    const healthz = registered.http.get('healthz')!.handler;
    const first = await healthz(request, context);
    expect(first.status).toBe(503);
    expect(JSON.parse(String(first.body))).toEqual({ error: { code: 'STORAGE_UNAVAILABLE', message: expect.any(String) } });
    expect((first as { headers?: Record<string, string> }).headers?.['x-content-type-options']).toBe('nosniff');
    const second = await healthz(request, context);
    expect(second.status).toBe(200);
    expect(compose.attempts).toBe(2);
    await healthz(request, context);
    expect(compose.attempts).toBe(2);
  });

  it('hands a body declared past the limit to the pipeline unread, flagged too large', async () => {
    await import('../../../server/azure.js');
    const postUsage = registered.http.get('postUsage')!.handler;
    let read = false;
    const big = { ...request, method: 'POST', headers: new Headers({ 'content-length': String(10 * 1024 * 1024) }), body: {}, arrayBuffer: async () => ((read = true), new ArrayBuffer(0)) };
    await postUsage(big, context);
    expect(read).toBe(false);
    expect(compose.requests.at(-1)).toMatchObject({ body: undefined, bodyTooLarge: true });
  });

  it("connects Autodesk's usage APIs: by an admin's consent with the APS app of the settings, by a firm's own client without one", async () => {
    await import('../../../server/azure.js');
    const healthz = registered.http.get('healthz')!.handler;
    await healthz(request, context);
    expect(compose.extras.at(-1)).toMatchObject({ aps: { consentAvailable: false }, usageSourceFactory: expect.any(Function) });

    vi.resetModules();
    Object.assign(process.env, {
      CREDIT_DESK_APS_CLIENT_ID: 'DeploymentApsApp000000000000000a',
      CREDIT_DESK_APS_CLIENT_SECRET: 'deployment-aps-secret',
      CREDIT_DESK_APS_CALLBACK_URL: 'https://func.example/api/usage/sources/autodesk/callback',
    });
    await import('../../../server/azure.js');
    await registered.http.get('healthz')!.handler(request, context);
    const aps = compose.extras.at(-1)!.aps as { consentAvailable: boolean; clientId: string; authorizeUrl(r: { kind: string; state: string; codeChallenge: string }): string };
    expect(aps).toMatchObject({ consentAvailable: true, clientId: 'DeploymentApsApp000000000000000a' });
    const authorize = new URL(aps.authorizeUrl({ kind: 'token_flex', state: 's', codeChallenge: 'c' }));
    expect(authorize.origin + authorize.pathname).toBe('https://developer.api.autodesk.com/authentication/v2/authorize');
    expect(authorize.searchParams.get('redirect_uri')).toBe('https://func.example/api/usage/sources/autodesk/callback');
  });

  it('refuses to start with an APS app id but no secret, or a callback that is not the API’s', async () => {
    await import('../../../server/azure.js');
    const healthz = registered.http.get('healthz')!.handler;
    for (const settings of [
      { CREDIT_DESK_APS_CLIENT_ID: 'DeploymentApsApp000000000000000a', CREDIT_DESK_APS_CALLBACK_URL: 'https://func.example/api/usage/sources/autodesk/callback' },
      { CREDIT_DESK_APS_CLIENT_ID: 'DeploymentApsApp000000000000000a', CREDIT_DESK_APS_CLIENT_SECRET: 's', CREDIT_DESK_APS_CALLBACK_URL: 'https://func.example/callback' },
    ]) {
      for (const name of APS_SETTINGS) delete process.env[name];
      Object.assign(process.env, settings);
      expect((await healthz(request, { error: () => undefined })).status).toBe(503);
    }
    expect(compose.attempts).toBe(0);
  });
});
