import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { TableFeedOutbox } from '../../../server/adapters/table-storage/table-feed-outbox.js';
import { TableLedgerStore } from '../../../server/adapters/table-storage/table-ledger-store.js';
import { TokenVerifier } from '../../../server/functions/auth.js';
import type { ApiRequest } from '../../../server/functions/http-types.js';
import { createPipeline } from '../../../server/functions/pipeline.js';
import { DEMO_TENANT, DEMO_USERS } from '../../../server/local/demo-users.js';
import { createDevIdentity } from '../../../server/local/dev-identity.js';
import { systemClock } from '../../../server/ports/clock.js';
import { newestFirstIds } from '../../../server/ports/ids.js';
import { NO_DIRECTORY } from '../../support/directory.js';
import { memoryImportDeps } from '../../support/memory-imports.js';

let dev: Awaited<ReturnType<typeof createDevIdentity>>;

function pipeline(devMode: boolean) {
  const table = new MemoryTableAdapter();
  const store = new TableLedgerStore({ table, clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
  const verifier = new TokenVerifier(devMode ? { dev: dev.issuer } : {}, new Set([DEMO_TENANT]));
  const base = { store, directory: NO_DIRECTORY, clock: systemClock, defaultPolicy: DEFAULT_POLICY };
  return createPipeline({
    deps: { ...memoryImportDeps(base, table), outbox: new TableFeedOutbox(table), dev: devMode ? dev : undefined },
    verifier,
    devMode,
    log: () => {},
  });
}

const request = (method: string, url: string, remoteAddress: string, init: { body?: unknown; token?: string; host?: string | undefined } = {}): ApiRequest => ({
  method,
  url,
  headers: { 'content-type': 'application/json', host: 'host' in init ? init.host : '127.0.0.1:7071', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
  body: init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body)),
  remoteAddress,
});

beforeAll(async () => {
  dev = await createDevIdentity();
});

describe('dev identity routes', () => {
  it('exist in dev mode for loopback callers', async () => {
    const handle = pipeline(true);
    const users = await handle(request('GET', '/api/dev/users', '127.0.0.1'));
    expect(users.status).toBe(200);
    expect(JSON.parse(users.body)).toHaveLength(DEMO_USERS.length);
    const token = await handle(request('POST', '/api/dev/token', '::1', { body: { user: DEMO_USERS[0]!.email } }));
    expect(token.status).toBe(200);
    const me = await handle(request('GET', '/api/me', '127.0.0.1', { token: JSON.parse(token.body).token }));
    expect(me.status).toBe(200);
    const openapi = JSON.parse((await handle(request('GET', '/api/openapi.json', '127.0.0.1'))).body);
    expect(Object.keys(openapi.paths)).toContain('/api/dev/token');
  });

  it('answer 404 and disappear from OpenAPI with dev mode off', async () => {
    const handle = pipeline(false);
    expect((await handle(request('GET', '/api/dev/users', '127.0.0.1'))).status).toBe(404);
    expect((await handle(request('POST', '/api/dev/token', '127.0.0.1', { body: { user: DEMO_USERS[0]!.email } }))).status).toBe(404);
    const openapi = JSON.parse((await handle(request('GET', '/api/openapi.json', '127.0.0.1'))).body);
    expect(Object.keys(openapi.paths).some((p) => p.startsWith('/api/dev'))).toBe(false);
    expect(Object.keys(openapi.paths)).toContain('/api/usage');
  });

  it('answer 404 to non-loopback callers, whose dev tokens are refused', async () => {
    const handle = pipeline(true);
    expect((await handle(request('GET', '/api/dev/users', '10.1.2.3'))).status).toBe(404);
    expect((await handle(request('POST', '/api/dev/token', '::ffff:192.168.1.9', { body: { user: DEMO_USERS[0]!.email } }))).status).toBe(404);
    const token = await dev.sign(DEMO_USERS[0]!);
    const me = await handle(request('GET', '/api/me', '10.1.2.3', { token }));
    expect(me.status).toBe(401);
  });

  it('dev tokens are refused with dev mode off even from loopback', async () => {
    const token = await dev.sign(DEMO_USERS[0]!);
    expect((await pipeline(false)(request('GET', '/api/me', '127.0.0.1', { token }))).status).toBe(401);
  });
});

describe('the Host header in dev mode (DNS rebinding)', () => {
  const refusedHost = (answer: { status: number; body: string }) => {
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error.code).toBe('HOST_NOT_ALLOWED');
  };

  it('a loopback caller naming another host gets no dev token, no users, and no API', async () => {
    const handle = pipeline(true);
    const token = await dev.sign(DEMO_USERS.find((u) => u.roles.includes('ITAdmin'))!);
    for (const host of ['evil.example', 'evil.example:7071', 'localhost.evil.example', '127.0.0.1.nip.io', 'localhost.', '10.0.0.5:7071', '[::2]:7071', '[fe80::1]', 'localhost:http', '', ' ', 'local host', undefined]) {
      const label = JSON.stringify(host);
      refusedHost(await handle(request('POST', '/api/dev/token', '127.0.0.1', { body: { user: DEMO_USERS[0]!.email }, host })));
      refusedHost(await handle(request('GET', '/api/dev/users', '::1', { host })));
      const me = await handle(request('GET', '/api/me', '127.0.0.1', { token, host }));
      expect(me.status, label).toBe(403);
      refusedHost(await handle(request('GET', '/api/healthz', '127.0.0.1', { host })));
      refusedHost(await handle(request('OPTIONS', '/api/usage', '127.0.0.1', { host })));
    }
  });

  it('loopback names with any port are answered, as Vite allows them', async () => {
    const handle = pipeline(true);
    for (const host of ['localhost', 'localhost:5173', 'LOCALHOST:7071', '127.0.0.1', '127.0.0.1:7071', '127.1.2.3:80', '[::1]', '[::1]:7071', 'app.localhost:5173', 'tab.dev.localhost']) {
      const answer = await handle(request('POST', '/api/dev/token', '127.0.0.1', { body: { user: DEMO_USERS[0]!.email }, host }));
      expect(answer.status, host).toBe(200);
    }
  });

  it('is not checked with dev mode off (in Azure the platform routes by host name)', async () => {
    const answer = await pipeline(false)(request('GET', '/api/healthz', '10.1.2.3', { host: 'credit-desk-api.azurewebsites.net' }));
    expect(answer.status).toBe(200);
  });
});
