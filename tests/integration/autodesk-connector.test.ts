/**
 * The Autodesk clients against the Autodesk stand-in over real HTTP: the admin's 3-legged consent (PKCE,
 * state), refresh tokens that rotate and cannot be used twice, a revoked consent seen as 'disconnected',
 * the 2-legged client, Token Flex contract discovery and export, the usage insights export, and the
 * faults: 429 with Retry-After (waits recorded by an injected scheduler, nothing sleeps), exports that
 * fail, links that run out or break off, Autodesk down or too slow.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApsUserToken } from '../../server/adapters/autodesk/aps-auth.js';
import { ApsAuth, USAGE_SCOPES } from '../../server/adapters/autodesk/aps-auth.js';
import type { AccessTokenGetter, ApsApiOptions } from '../../server/adapters/autodesk/aps-http.js';
import type { BackoffPolicy, Scheduler } from '../../server/adapters/autodesk/backoff.js';
import { TokenFlexSource, discoverContract } from '../../server/adapters/autodesk/token-flex-source.js';
import { UsageInsightsSource } from '../../server/adapters/autodesk/usage-insights-source.js';
import type { AutodeskStandIn } from '../../server/local/autodesk-standin.js';
import { LOCAL_APS_APP, LOCAL_APS_SERVER_APP, startAutodeskStandin } from '../../server/local/autodesk-standin.js';
import type { PullProgress, UsageExport, UsageSourceErrorCode } from '../../server/ports/usage-source.js';
import { UsageSourceError } from '../../server/ports/usage-source.js';
import { detectHeaders } from '../../src/core/usage-import/headers.js';

const REDIRECT_URI = 'http://localhost:5173/autodesk-callback.html';
const START = Date.parse('2026-11-20T12:00:00Z');
const DAY_MS = 86_400_000;
const NOVEMBER = { from: '2026-11-01', to: '2026-11-19' };

let clock = START;
let standIn: AutodeskStandIn;
let auth: ApsAuth;
let waits: number[];
/** Records each wait and returns at once: the tests never sleep. */
const scheduler: Scheduler = { sleep: async (ms) => void waits.push(ms) };

beforeAll(async () => {
  standIn = await startAutodeskStandin({ now: () => clock });
  auth = new ApsAuth({ baseUrl: standIn.url, clientId: LOCAL_APS_APP.clientId, clientSecret: LOCAL_APS_APP.clientSecret });
});

afterAll(async () => {
  await standIn?.close();
});

beforeEach(() => {
  clock = START;
  waits = [];
  Object.assign(standIn.switches, { down: false, slowMs: 0, failExports: false, expireDownloads: false, cutDownloads: false, tokenFlexAdmin: true, insightsEntitled: true, pollsToFinish: 2 });
});

afterEach(() => standIn.throttle(0, 0));

/** Through the consent page as the admin would: open the link, allow (or deny), follow the redirect back. */
async function consent(decision: 'allow' | 'deny' = 'allow') {
  const request = auth.consentRequest(REDIRECT_URI);
  const page = await fetch(request.url);
  expect(page.status).toBe(200);
  const requestId = /name="request" value="([^"]+)"/.exec(await page.text())?.[1];
  expect(requestId).toBeTruthy();
  const answer = await fetch(`${standIn.url}/authentication/v2/authorize/consent`, { method: 'POST', body: new URLSearchParams({ request: requestId!, decision }), redirect: 'manual' });
  expect(answer.status).toBe(302);
  const back = new URL(answer.headers.get('location')!);
  return { request, back };
}

async function connect(): Promise<ApsUserToken> {
  const { request, back } = await consent();
  expect(back.searchParams.get('state')).toBe(request.state);
  return auth.exchangeCode(back.searchParams.get('code')!, REDIRECT_URI, request.codeVerifier);
}

/** What the connect helper's getter does: refresh when asked, keeping the rotated refresh token. */
function rotatingGetter(first: ApsUserToken): { get: AccessTokenGetter; current: () => ApsUserToken } {
  let current = first;
  return {
    get: async (options) => {
      if (options?.refresh) current = await auth.refresh(current.refreshToken);
      return current.accessToken;
    },
    current: () => current,
  };
}

function apiOptions(accessToken: AccessTokenGetter, backoff: Partial<BackoffPolicy> = {}): ApsApiOptions {
  return { baseUrl: standIn.url, accessToken, scheduler, backoff, now: () => clock };
}

async function text(file: UsageExport): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of file.body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function refusal(promise: Promise<unknown>): Promise<UsageSourceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageSourceError);
  return error as UsageSourceError;
}

const codeOf = async (promise: Promise<unknown>): Promise<UsageSourceErrorCode> => (await refusal(promise)).code;

describe('APS OAuth, 3-legged', () => {
  it('sends the admin to a consent page with state and PKCE (S256), and comes back with a code for that state', async () => {
    const { request, back } = await consent();
    const asked = new URL(request.url).searchParams;
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(asked.get('scope')).toBe(USAGE_SCOPES.join(' '));
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.searchParams.get('state')).toBe(request.state);
    const tokens = await auth.exchangeCode(back.searchParams.get('code')!, REDIRECT_URI, request.codeVerifier);
    expect(tokens.expiresIn).toBeGreaterThan(3000);
    expect(tokens.refreshToken).toBeTruthy();
  });

  it('refuses a code exchanged without its PKCE verifier, and a code used twice', async () => {
    const { back } = await consent();
    const code = back.searchParams.get('code')!;
    expect(await codeOf(auth.exchangeCode(code, REDIRECT_URI, 'x'.repeat(43)))).toBe('disconnected');
    const again = await consent();
    const secondCode = again.back.searchParams.get('code')!;
    await auth.exchangeCode(secondCode, REDIRECT_URI, again.request.codeVerifier);
    expect(await codeOf(auth.exchangeCode(secondCode, REDIRECT_URI, again.request.codeVerifier))).toBe('disconnected');
  });

  it('a denied consent comes back with access_denied and no code', async () => {
    const { request, back } = await consent('deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('code')).toBeNull();
    expect(back.searchParams.get('state')).toBe(request.state);
  });

  it('rotates the refresh token on every refresh, refuses the old one, and the new one works', async () => {
    const first = await connect();
    const second = await auth.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    const reused = await refusal(auth.refresh(first.refreshToken));
    expect(reused.code).toBe('disconnected');
    expect(reused.message).toContain('invalid_grant');
    const third = await auth.refresh(second.refreshToken);
    expect(third.refreshToken).not.toBe(second.refreshToken);
  });

  it('refresh tokens run out after 15 days', async () => {
    const tokens = await connect();
    clock += 15 * DAY_MS + 1;
    expect(await codeOf(auth.refresh(tokens.refreshToken))).toBe('disconnected');
  });

  it('a revoked consent makes the next pull fail as disconnected (the API refuses the token, then the refresh)', async () => {
    const tokens = rotatingGetter(await connect());
    const source = new TokenFlexSource({ ...apiOptions(tokens.get), contractNumber: standIn.contractNumber });
    await text(await source.exportUsage(NOVEMBER));
    const revoked = await fetch(`${standIn.url}/standin/revoke-consent`, { method: 'POST' });
    expect(revoked.status).toBe(204);
    expect(await codeOf(source.exportUsage(NOVEMBER))).toBe('disconnected');
  });

  it('revoking the refresh token (disconnecting from Credit Desk) makes it useless', async () => {
    const tokens = await connect();
    await auth.revoke(tokens.refreshToken, 'refresh_token');
    expect(await codeOf(auth.refresh(tokens.refreshToken))).toBe('disconnected');
  });

  it('an expired access token is refreshed once and the pull goes on', async () => {
    const tokens = rotatingGetter(await connect());
    const before = tokens.current().refreshToken;
    clock += 2 * 3_600_000;
    const source = new TokenFlexSource({ ...apiOptions(tokens.get), contractNumber: standIn.contractNumber });
    expect(await text(await source.exportUsage(NOVEMBER))).toContain('usageDate');
    expect(tokens.current().refreshToken).not.toBe(before);
  });
});

describe('APS OAuth, 2-legged', () => {
  it('a client Autodesk associated with an admin pulls with client credentials', async () => {
    const server = new ApsAuth({ baseUrl: standIn.url, clientId: LOCAL_APS_SERVER_APP.clientId, clientSecret: LOCAL_APS_SERVER_APP.clientSecret });
    const token = await server.clientCredentials();
    const source = new TokenFlexSource(apiOptions(async () => token.accessToken));
    const csv = await text(await source.exportUsage(NOVEMBER));
    expect(csv.split('\r\n')[0]).toBe('usageDate,userName,productName,chargedItemID,tokensConsumed');
  });

  it('a client not associated with an admin gets a token but no usage data: not_entitled', async () => {
    const token = await auth.clientCredentials();
    expect(await codeOf(discoverContract(apiOptions(async () => token.accessToken)))).toBe('not_entitled');
  });

  it('a wrong client secret is refused as disconnected', async () => {
    const wrong = new ApsAuth({ baseUrl: standIn.url, clientId: LOCAL_APS_SERVER_APP.clientId, clientSecret: 'not-the-secret' });
    expect(await codeOf(wrong.clientCredentials())).toBe('disconnected');
  });
});

describe('Token Flex', () => {
  // 2-legged: a new token from client credentials whenever the API refuses the one held (the clock moves in some tests).
  let token = '';
  const twoLegged: AccessTokenGetter = async (asked) => {
    if (asked?.refresh || !token) token = (await new ApsAuth({ baseUrl: standIn.url, clientId: LOCAL_APS_SERVER_APP.clientId, clientSecret: LOCAL_APS_SERVER_APP.clientSecret }).clientCredentials()).accessToken;
    return token;
  };
  const options = (backoff: Partial<BackoffPolicy> = {}) => apiOptions(twoLegged, backoff);

  it('discovers the contract from the API', async () => {
    const contract = await discoverContract(options());
    expect(contract.contractNumber).toBe(standIn.contractNumber);
    expect(contract.isActive).toBe(true);
  });

  it('no contract for the connected account: no_contract', async () => {
    standIn.switches.tokenFlexAdmin = false;
    expect(await codeOf(discoverContract(options()))).toBe('no_contract');
    expect(await codeOf(new TokenFlexSource(options()).exportUsage(NOVEMBER))).toBe('no_contract');
  });

  it('requests, polls with back-off and downloads an export the importer recognises as token_flex_api', async () => {
    standIn.switches.pollsToFinish = 3;
    const progress: PullProgress[] = [];
    const file = await new TokenFlexSource(options()).exportUsage(NOVEMBER, { onProgress: (p) => progress.push(p) });
    expect(file.fileName).toBe('autodesk-token-flex-2026-11-01-to-2026-11-19.csv');
    expect(file.window).toEqual(NOVEMBER);
    const lines = (await text(file)).trimEnd().split('\r\n');
    expect(detectHeaders(lines[0]!.split(',')).format).toBe('token_flex_api');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.slice(1).every((l) => l >= '2026-11-01' && l < '2026-11-20')).toBe(true);
    expect(progress.map((p) => p.stage)).toEqual(['requested', 'processing', 'processing', 'downloading']);
    expect(waits).toEqual([2_000, 4_000, 8_000]);
  });

  it('a day pulled again later keeps its rows and gains the charges Autodesk posted late, under new ids', async () => {
    const source = new TokenFlexSource(options());
    const window = { from: '2026-11-14', to: '2026-11-20' };
    const first = (await text(await source.exportUsage(window))).trimEnd().split('\r\n').slice(1);
    clock += 3 * DAY_MS;
    const second = (await text(await source.exportUsage(window))).trimEnd().split('\r\n').slice(1);
    expect(second).toEqual(expect.arrayContaining(first));
    expect(second.length).toBeGreaterThan(first.length);
    const ids = second.map((l) => l.split(',')[3]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('waits out 429s as long as Retry-After asks (recorded, not slept)', async () => {
    standIn.throttle(2, 7);
    const file = await new TokenFlexSource(options()).exportUsage(NOVEMBER);
    expect(await text(file)).toContain('tokensConsumed');
    expect(waits.slice(0, 2)).toEqual([7_000, 7_000]);
  });

  it('gives up as throttled when 429s outlast the bound, saying when to come back', async () => {
    standIn.throttle(10, 30);
    const error = await refusal(new TokenFlexSource(options({ maxThrottleWaitMs: 60_000 })).exportUsage(NOVEMBER));
    expect(error.code).toBe('throttled');
    expect(error.retryAfterSeconds).toBe(30);
    expect(waits).toEqual([30_000, 30_000]);
  });

  it('an export Autodesk reports failed: export_failed', async () => {
    standIn.switches.failExports = true;
    expect(await codeOf(new TokenFlexSource(options()).exportUsage(NOVEMBER))).toBe('export_failed');
  });

  it('an export still not made after the bound of polls: unavailable', async () => {
    standIn.switches.pollsToFinish = 100;
    expect(await codeOf(new TokenFlexSource(options({ maxPolls: 4 })).exportUsage(NOVEMBER))).toBe('unavailable');
    expect(waits).toHaveLength(4);
  });

  it('a download link that has run out: export_expired', async () => {
    standIn.switches.expireDownloads = true;
    expect(await codeOf(new TokenFlexSource(options()).exportUsage(NOVEMBER))).toBe('export_expired');
  });

  it('the stand-in’s links work a few minutes, as Autodesk’s pre-signed ones', async () => {
    await twoLegged({ refresh: true });
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${standIn.url}/tokenflex/v1/export/${standIn.contractNumber}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }).then((r) => r.json() as Promise<{ requestKey: string; requestStatus: string; downloadUrl?: string }>);
    const { requestKey } = await call('POST', '/requests', { fields: ['usageDate', 'userName'], metrics: ['tokensConsumed'], where: "usageDate >= '2026-11-01' AND usageDate <= '2026-11-19'" });
    const key = `/requests/${encodeURIComponent(requestKey)}`;
    expect((await call('GET', key)).requestStatus).toBe('Requested');
    const done = await call('GET', key);
    expect(done.requestStatus).toBe('Download');
    expect((await fetch(done.downloadUrl!)).status).toBe(200);
    clock += 5 * 60_000;
    const expired = await fetch(done.downloadUrl!);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });

  it('a download that breaks off half-way: export_expired while reading', async () => {
    standIn.switches.cutDownloads = true;
    const file = await new TokenFlexSource(options()).exportUsage({ from: '2026-01-01', to: '2026-11-19' });
    expect(await codeOf(text(file))).toBe('export_expired');
  });

  it('Autodesk down: retried with back-off, then unavailable', async () => {
    standIn.switches.down = true;
    expect(await codeOf(new TokenFlexSource({ ...options({ maxTransientRetries: 2 }), contractNumber: standIn.contractNumber }).exportUsage(NOVEMBER))).toBe('unavailable');
    expect(waits).toEqual([2_000, 4_000]);
  });

  it('Autodesk too slow to answer: unavailable', async () => {
    standIn.switches.slowMs = 600_000;
    const source = new TokenFlexSource({ ...options({ maxTransientRetries: 0 }), contractNumber: standIn.contractNumber, requestTimeoutMs: 100 });
    expect(await codeOf(source.exportUsage(NOVEMBER))).toBe('unavailable');
  });

  it('sign-in down: unavailable', async () => {
    standIn.switches.down = true;
    expect(await codeOf(auth.clientCredentials())).toBe('unavailable');
  });

  it('a year-long backfill comes in one export', async () => {
    const year = { from: '2025-11-20', to: '2026-11-19' };
    const lines = (await text(await new TokenFlexSource(options()).exportUsage(year))).trimEnd().split('\r\n');
    const days = new Set(lines.slice(1).map((l) => l.slice(0, 10)));
    expect(days.size).toBeGreaterThan(200);
    expect([...days].every((d) => d >= year.from && d <= year.to)).toBe(true);
  });
});

describe('usage insights', () => {
  let getter: AccessTokenGetter;
  beforeAll(async () => {
    getter = rotatingGetter(await connect()).get;
  });

  it('exports the usage report the importer recognises as usage_report_2026', async () => {
    const progress: PullProgress[] = [];
    const file = await new UsageInsightsSource(apiOptions(getter)).exportUsage(NOVEMBER, { onProgress: (p) => progress.push(p) });
    expect(file.fileName).toBe('autodesk-usage-insights-2026-11-01-to-2026-11-19.csv');
    const lines = (await text(file)).trimEnd().split('\r\n');
    expect(detectHeaders(lines[0]!.split(',')).format).toBe('usage_report_2026');
    expect(lines.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toEqual({ stage: 'downloading', polls: 2 });
  });

  it('a team without the Business Success Plan: not_entitled', async () => {
    standIn.switches.insightsEntitled = false;
    expect(await codeOf(new UsageInsightsSource(apiOptions(getter)).exportUsage(NOVEMBER))).toBe('not_entitled');
  });

  it('an export Autodesk reports failed: export_failed', async () => {
    standIn.switches.failExports = true;
    expect(await codeOf(new UsageInsightsSource(apiOptions(getter)).exportUsage(NOVEMBER))).toBe('export_failed');
  });

  it('an export whose link has run out is reported EXPIRED: export_expired', async () => {
    standIn.switches.expireDownloads = true;
    const error = await refusal(new UsageInsightsSource(apiOptions(getter)).exportUsage(NOVEMBER));
    expect(error.code).toBe('export_expired');
    expect(error.message).toContain('expire');
  });

  it('refuses a window longer than the API takes, before asking Autodesk', async () => {
    await expect(new UsageInsightsSource(apiOptions(getter)).exportUsage({ from: '2025-01-01', to: '2026-01-01' })).rejects.toThrow(RangeError);
  });
});
