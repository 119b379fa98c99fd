import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageSourcesResponse } from '../../src/contract/index.js';
import { MemorySecretStore } from '../../server/adapters/memory/memory-secret-store.js';
import { callbackUrlOf, demoSelfLogged, localAutodeskClients, startLocalAutodesk } from '../../server/local/autodesk-local.js';
import type { AutodeskStandIn } from '../../server/local/autodesk-standin.js';
import { freePort } from '../../server/local/azurite.js';
import { DEMO_USERS } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { IT, TEST_RATE_LIMIT, startTestApi } from '../support/api.js';

/**
 * The composed server with the real APS clients against the Autodesk stand-in (the local stack's wiring):
 * an admin's consent at the stand-in, Token Flex usage pulled through the import pipeline, provisional
 * entries settled; then the admin withdraws the consent at Autodesk and IT is told Autodesk disconnected.
 */
let api: TestApi;
let standIn: AutodeskStandIn;
const today = new Date().toISOString().slice(0, 10);
/** What the demo people logged of their runs 4 to 6 days ago: Autodesk has posted all of them (3 days late at most). */
const logged = demoSelfLogged(today, 7).filter((entry) => entry.date <= addDays(today, -4));

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  const port = await freePort();
  const callbackUrl = callbackUrlOf(`http://127.0.0.1:${port}`);
  standIn = await startLocalAutodesk(callbackUrl);
  api = await startTestApi({ fixedRateLimit: TEST_RATE_LIMIT, port, secrets: new MemorySecretStore(), ...localAutodeskClients(standIn, callbackUrl) });
  await api.useFlexTokens();
  for (const email of new Set(logged.map((e) => e.email))) await api.register(DEMO_USERS.find((u) => u.email === email)!);
  await api.fillPool(5);
  for (const entry of logged) {
    const user = DEMO_USERS.find((u) => u.email === entry.email)!;
    const posted = await api.call(user, 'POST', '/api/usage', { body: { service: entry.service, credits: entry.tokens, date: entry.date } });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
  }
});
afterAll(async () => {
  await api?.stack.stop();
  await standIn?.close();
});

const tokenFlex = async () => UsageSourcesResponse.parse((await api.call(IT, 'GET', '/api/usage/sources')).body).sources.find((s) => s.kind === 'token_flex')!;
const connections = async () => (await api.call(IT, 'GET', '/api/usage/sources/connections')).body.connections as { kind: string; mode: string; contractNumber: string | null; disconnected: unknown }[];

/** IT's "Pull now", waited for to the end (the pull runs after the answer). */
async function pullNow() {
  const started = await api.call(IT, 'POST', '/api/usage/sources/token_flex/pull');
  expect(started.status, JSON.stringify(started.body)).toBeLessThan(300);
  await api.stack.pullJobs.idle();
}

describe('Autodesk through the stand-in', () => {
  it("connects by an admin's consent on the stand-in's page, pulls Token Flex usage and settles the entries people logged", async () => {
    expect(logged.length).toBeGreaterThan(0);
    const started = await api.call(IT, 'POST', '/api/usage/sources/token_flex/connect');
    expect(started.status).toBe(200);
    const page = await fetch(started.body.authorizeUrl);
    const request = /name="request" value="([^"]+)"/.exec(await page.text())?.[1];
    expect(request).toBeDefined();
    const consent = await fetch(`${standIn.url}/authentication/v2/authorize/consent`, { method: 'POST', body: new URLSearchParams({ request: request!, decision: 'allow' }), redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    expect(back.pathname).toBe('/api/usage/sources/autodesk/callback');
    const callback = await fetch(back);
    expect(callback.status).toBe(200);
    expect(await connections()).toMatchObject([{ kind: 'token_flex', mode: 'three_legged', disconnected: null }]);

    await pullNow();
    const status = await tokenFlex();
    expect(status).toMatchObject({ connection: 'connected', lastError: null, lastPull: { alreadyImported: 0, settled: logged.length, unmatched: { rows: expect.any(Number) } } });
    expect(status.lastPull!.rowsPosted).toBeGreaterThan(logged.length);
    expect(status.covered!.to).toBe(addDays(today, -1));
    // The contract was found from the API and is shown with the connection.
    expect((await connections())[0]!.contractNumber).toBe(standIn.contractNumber);
  });

  it('after the admin withdraws the consent at Autodesk, the next pull says Autodesk disconnected, and so do the connections', async () => {
    standIn.revokeConsent();
    await pullNow();
    const status = await tokenFlex();
    expect(status).toMatchObject({ connection: 'disconnected', lastError: { code: 'disconnected' } });
    expect(status.lastError!.message).toMatch(/Autodesk disconnected/);
    expect((await connections())[0]!.disconnected).toMatchObject({ at: expect.any(String) });
  });
});
