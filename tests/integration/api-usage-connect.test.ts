import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../server/adapters/memory/memory-secret-store.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, TEST_RATE_LIMIT, startTestApi } from '../support/api.js';
import { FakeAps } from '../support/fake-aps.js';

/** Connecting Autodesk over HTTP to the local host, connections in Azurite, secrets in their own store. */
let api: TestApi;
const aps = new FakeAps();
const secrets = new MemorySecretStore();

beforeAll(async () => {
  api = await startTestApi({ fixedRateLimit: TEST_RATE_LIMIT, aps, secrets });
});

/** IT switches the tenant's unit in Settings (Autodesk's usage APIs report Flex tokens). */
async function countIn(unitName: 'Cloud Credits' | 'Flex tokens') {
  const current = (await api.call(IT, 'GET', '/api/settings')).body;
  const put = await api.call(IT, 'PUT', '/api/settings', { body: { ...current, unitName, individualAllotment: unitName === 'Flex tokens' ? 0 : 100, packExpiryMonths: unitName === 'Flex tokens' ? 12 : null } });
  expect(put.status).toBe(200);
}
afterAll(async () => api?.stack.stop());

/** Every column of every row of the test's table, as text: where no secret may ever be. */
async function tableText(): Promise<string> {
  const client = TableClient.fromConnectionString(api.stack.azurite.connectionString, api.tableName, { allowInsecureConnection: true });
  const rows: unknown[] = [];
  for await (const entity of client.listEntities()) rows.push(entity);
  return JSON.stringify(rows);
}

const everySecret = () => [...secrets.values(), ...aps.liveRefreshTokens, ...aps.revoked, aps.firmClient.clientSecret];

async function expectNoSecretIn(...texts: string[]) {
  const all = [...texts, await tableText()].join('\n');
  for (const secret of everySecret()) expect(all).not.toContain(secret);
}

const connections = async () => (await api.call(IT, 'GET', '/api/usage/sources/connections')).body.connections as { kind: string; mode: string; disconnected: unknown }[];

describe('a tenant counting Cloud Credits', () => {
  it('is refused both ways of connecting, in words, and nothing changes', async () => {
    // IT's first call records them as a member: that is not the change looked for.
    expect(await connections()).toEqual([]);
    const before = await tableText();
    for (const answer of [await api.call(IT, 'POST', '/api/usage/sources/token_flex/connect'), await api.call(IT, 'PUT', '/api/usage/sources/usage_insights/client', { body: aps.firmClient })]) {
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe('AUTODESK_UNIT_MISMATCH');
      expect(answer.body.error.message).toMatch(/count Flex tokens: switch Credit Desk to Flex tokens in Settings first/);
    }
    expect(await tableText()).toBe(before);
    expect(secrets.values()).toEqual([]);
  });
});

describe('the admin consent (3-legged)', () => {
  beforeAll(() => countIn('Flex tokens'));

  it('starts with a state and PKCE, and the callback connects once and answers a page that closes', async () => {
    const started = await api.call(IT, 'POST', '/api/usage/sources/token_flex/connect');
    expect(started.status).toBe(200);
    const authorize = new URL(started.body.authorizeUrl);
    const state = authorize.searchParams.get('state')!;
    expect(state.startsWith(`${api.stack.tenant}.`)).toBe(true);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const code = aps.consent(state);

    const callback = await fetch(`${api.url}/api/usage/sources/autodesk/callback?${new URLSearchParams({ code, state })}`);
    const page = await callback.text();
    expect(callback.status).toBe(200);
    expect(callback.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page).toContain('Autodesk is connected');
    // The page's one script runs by its hash; nothing else may.
    expect(callback.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'sha256-[^']+'/);
    expect(await connections()).toMatchObject([{ kind: 'token_flex', mode: 'three_legged', disconnected: null }]);
    expect(secrets.values()).toHaveLength(1);

    // The same answer again (a replay, a reload): refused, and nothing changes.
    // A browser gets a page in words (the code only in a header), a script the coded error.
    const again = await fetch(`${api.url}/api/usage/sources/autodesk/callback?${new URLSearchParams({ code, state })}`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(again.status).toBe(410);
    expect(again.headers.get('x-error-code')).toBe('CONSENT_NOT_VALID');
    expect(await again.text()).not.toContain('CONSENT_NOT_VALID');
    const scripted = await fetch(`${api.url}/api/usage/sources/autodesk/callback?${new URLSearchParams({ code, state })}`);
    expect(await scripted.json()).toMatchObject({ error: { code: 'CONSENT_NOT_VALID' } });
    expect(secrets.values()).toHaveLength(1);

    await expectNoSecretIn(page, JSON.stringify(started.body), JSON.stringify(await connections()));
  });

  it('refuses a callback without a state, or with a forged one, and changes nothing', async () => {
    const before = await tableText();
    const missing = await fetch(`${api.url}/api/usage/sources/autodesk/callback?code=abc`);
    expect(missing.status).toBe(400);
    const forged = await fetch(`${api.url}/api/usage/sources/autodesk/callback?code=abc&state=${api.stack.tenant}.forged`);
    expect(forged.status).toBe(410);
    expect(await tableText()).toBe(before);
  });

  it('lets only IT connect, read or remove connections', async () => {
    for (const user of [EMPLOYEES[0]!, MANAGER]) {
      expect((await api.call(user, 'POST', '/api/usage/sources/token_flex/connect')).status).toBe(403);
      expect((await api.call(user, 'GET', '/api/usage/sources/connections')).status).toBe(403);
      expect((await api.call(user, 'PUT', '/api/usage/sources/usage_insights/client', { body: aps.firmClient })).status).toBe(403);
      expect((await api.call(user, 'DELETE', '/api/usage/sources/token_flex')).status).toBe(403);
    }
    expect((await api.call(undefined, 'POST', '/api/usage/sources/token_flex/connect')).status).toBe(401);
    expect((await api.call(IT, 'POST', '/api/usage/sources/tokenflex/connect')).body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe("the firm's own client (2-legged)", () => {
  beforeAll(() => countIn('Flex tokens'));

  it('refuses a secret Autodesk does not take, and bad input, changing nothing', async () => {
    const before = await tableText();
    const stored = secrets.values().length;
    const wrong = await api.call(IT, 'PUT', '/api/usage/sources/usage_insights/client', { body: { ...aps.firmClient, clientSecret: 'wrong-secret-1234' } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('AUTODESK_REFUSED');
    for (const body of [{ clientId: 'short', clientSecret: aps.firmClient.clientSecret }, { ...aps.firmClient, extra: 1 }, { clientId: aps.firmClient.clientId, clientSecret: 'has a space in it' }]) {
      const answer = await api.call(IT, 'PUT', '/api/usage/sources/usage_insights/client', { body });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).not.toContain(aps.firmClient.clientSecret);
    }
    expect(await tableText()).toBe(before);
    expect(secrets.values()).toHaveLength(stored);
  });

  it('keeps the secret out of the answer and the table', async () => {
    const put = await api.call(IT, 'PUT', '/api/usage/sources/usage_insights/client', { body: aps.firmClient });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ kind: 'usage_insights', mode: 'two_legged', clientId: aps.firmClient.clientId });
    expect(secrets.values()).toContain(aps.firmClient.clientSecret);
    await expectNoSecretIn(JSON.stringify(put.body), JSON.stringify(await connections()));
  });
});

describe('disconnecting', () => {
  it('revokes the consent at Autodesk and deletes the secrets; again, nothing to remove', async () => {
    const gone = await api.call(IT, 'DELETE', '/api/usage/sources/token_flex');
    expect(gone.body).toEqual({ kind: 'token_flex', removed: true, revokedAtAutodesk: true });
    expect(aps.revoked).toHaveLength(1);
    expect(await api.call(IT, 'DELETE', '/api/usage/sources/usage_insights')).toMatchObject({ status: 200, body: { removed: true, revokedAtAutodesk: false } });
    expect(secrets.values()).toEqual([]);
    expect(await connections()).toEqual([]);
    expect((await api.call(IT, 'DELETE', '/api/usage/sources/token_flex')).body).toEqual({ kind: 'token_flex', removed: false, revokedAtAutodesk: false });
  });
});
