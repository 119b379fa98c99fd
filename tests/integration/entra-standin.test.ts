/**
 * The Entra ID stand-in over real https: discovery, the code flow with PKCE as MSAL runs it, Entra's
 * refusals (wrong verifier, a code used twice or too late, no Origin), refresh tokens, and the local API
 * taking its tokens through the same validation as Entra's (issuer, audience, signature, `scp`), in dev
 * mode only.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeServer } from '../../server/compose.js';
import { DEMO_TENANT, DEMO_USERS } from '../../server/local/demo-users.js';
import { createDevIdentity } from '../../server/local/dev-identity.js';
import type { EntraStandIn } from '../../server/local/entra-standin.js';
import { startEntraStandIn } from '../../server/local/entra-standin.js';
import { CODE_LIFETIME_MS, SPA_REFRESH_LIFETIME_MS } from '../../server/local/entra-standin-grants.js';
import { startLocalHost } from '../../server/local/host.js';
import type { TestApi } from '../support/api.js';
import { IT, MANAGER, TEST_RATE_LIMIT, freshTableName, sharedAzurite, startTestApi } from '../support/api.js';
import { APP_ORIGIN, EntraClient, REDIRECT_URI, answerOf, newPkce } from '../support/entra-client.js';

const AVERY = DEMO_USERS[0]!;
let clock = Date.now();
let standIn: EntraStandIn;
let entra: EntraClient;
let api: TestApi;

beforeAll(async () => {
  standIn = await startEntraStandIn({ redirectUris: [REDIRECT_URI], now: () => clock });
  entra = new EntraClient(standIn);
  api = await startTestApi({ fixedRateLimit: TEST_RATE_LIMIT, entra: standIn.issuerConfig });
});

// The stand-in's clock is the real one at the start of each test; a test moves it to let things run out.
beforeEach(() => {
  clock = Date.now();
});

afterAll(async () => {
  await api?.stack.stop();
  await standIn?.stop();
});

describe('the Entra ID stand-in', () => {
  it('serves Entra v2.0 discovery and its keys over https, with a certificate made at start', async () => {
    const answer = await entra.fetch(`${standIn.authority}/v2.0/.well-known/openid-configuration`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    const config = await answer.json();
    expect(config).toMatchObject({
      issuer: `${standIn.url}/${DEMO_TENANT}/v2.0`,
      authorization_endpoint: `${standIn.authority}/oauth2/v2.0/authorize`,
      token_endpoint: `${standIn.authority}/oauth2/v2.0/token`,
      end_session_endpoint: `${standIn.authority}/oauth2/v2.0/logout`,
      jwks_uri: `${standIn.authority}/discovery/v2.0/keys`,
    });
    expect(standIn.url).toMatch(/^https:\/\/localhost:\d+$/);
    const multi = await (await entra.fetch(`${standIn.url}/organizations/v2.0/.well-known/openid-configuration`)).json();
    expect(multi.issuer).toBe(`${standIn.url}/{tenantid}/v2.0`);
    const keys = await (await entra.fetch(config.jwks_uri)).json();
    expect(keys.keys).toEqual([expect.objectContaining({ kty: 'RSA', use: 'sig', alg: 'RS256', kid: expect.any(String) })]);
    expect(keys.keys[0]).not.toHaveProperty('d');
    const unknown = await entra.fetch(`${standIn.url}/not-a-tenant/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toBe('invalid_tenant');
    // A client that does not trust its certificate is refused: it is really TLS.
    await expect(fetch(`${standIn.authority}/v2.0/.well-known/openid-configuration`)).rejects.toThrow();
  });

  it('signs a person in with the code flow and PKCE, and issues Entra-shaped tokens signed with a key of its JWKS', async () => {
    const pkce = newPkce();
    const signIn = await entra.openSignIn({ code_challenge: pkce.challenge, code_challenge_method: 'S256', login_hint: MANAGER.email });
    expect(signIn.page.status).toBe(200);
    for (const person of DEMO_USERS) expect(signIn.html).toContain(person.displayName);
    const back = await entra.pick(signIn, MANAGER);
    expect(back.status).toBe(302);
    const location = back.headers.get('location')!;
    expect(location.startsWith(`${REDIRECT_URI}#`)).toBe(true);
    const answer = answerOf(location);
    expect(answer.get('state')).toBe('state-1');
    expect(JSON.parse(Buffer.from(answer.get('client_info')!, 'base64url').toString())).toEqual({ uid: MANAGER.id, utid: DEMO_TENANT });

    const tokens = await entra.redeem(answer.get('code')!, pkce.verifier);
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
    expect(tokens.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', scope: standIn.apiScope, expires_in: 3600, refresh_token: expect.any(String), client_info: expect.any(String) });
    const jwks = createLocalJWKSet(await (await entra.fetch(`${standIn.authority}/discovery/v2.0/keys`)).json());
    const { payload: access } = await jwtVerify(tokens.body.access_token, jwks, { issuer: `${standIn.url}/${DEMO_TENANT}/v2.0`, audience: standIn.clientId, algorithms: ['RS256'] });
    expect(access).toMatchObject({ scp: 'access_as_user', tid: DEMO_TENANT, oid: MANAGER.id, preferred_username: MANAGER.email, name: MANAGER.displayName, roles: ['AccountManager'], ver: '2.0' });
    const { payload: id } = await jwtVerify(tokens.body.id_token, jwks, { audience: standIn.clientId });
    expect(id).toMatchObject({ nonce: 'nonce-1', oid: MANAGER.id, tid: DEMO_TENANT, preferred_username: MANAGER.email });
  });

  it('answers in the query when asked, and says so when the person cancels', async () => {
    const pkce = newPkce();
    const signIn = await entra.openSignIn({ code_challenge: pkce.challenge, code_challenge_method: 'S256', response_mode: 'query' });
    const location = (await entra.pick(signIn, AVERY)).headers.get('location')!;
    expect(new URL(location).searchParams.get('code')).toBeTruthy();
    const cancelled = await entra.openSignIn({ code_challenge: pkce.challenge, code_challenge_method: 'S256' });
    const answer = answerOf((await entra.pick(cancelled, 'cancel')).headers.get('location'));
    expect([answer.get('error'), answer.get('error_subcode'), answer.get('state')]).toEqual(['access_denied', 'cancel', 'state-1']);
    // The picker's request is used up by the answer.
    expect((await entra.pick(cancelled, AVERY)).status).toBe(400);
  });

  it('refuses to authorize without PKCE, silently, or for a redirect URI the app did not register', async () => {
    const withoutPkce = answerOf((await entra.fetch(entra.authorizeUrl({}))).headers.get('location'));
    expect([withoutPkce.get('error'), withoutPkce.get('state')]).toEqual(['invalid_request', 'state-1']);
    expect(withoutPkce.get('error_description')).toMatch(/^AADSTS9002325:/);
    const silent = answerOf((await entra.fetch(entra.authorizeUrl({ code_challenge: newPkce().challenge, code_challenge_method: 'S256', prompt: 'none' }))).headers.get('location'));
    expect(silent.get('error')).toBe('login_required');
    // Entra never sends an answer to an address the app did not register: it shows the error itself.
    const elsewhere = await entra.fetch(entra.authorizeUrl({ code_challenge: newPkce().challenge, code_challenge_method: 'S256', redirect_uri: 'https://evil.example/auth.html' }));
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.get('location')).toBeNull();
    expect(await elsewhere.text()).toContain('AADSTS50011');
  });

  it('refuses a wrong code_verifier, a code used twice, an expired code and a token request that is not cross-origin', async () => {
    const pkce = newPkce();
    const wrong = await entra.redeem(await entra.code(AVERY, pkce), newPkce().verifier);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_grant', error_codes: [50148] });
    expect(wrong.body.error_description).toMatch(/^AADSTS50148: .*Trace ID: .*Correlation ID: .*Timestamp: /);

    const code = await entra.code(AVERY, pkce);
    expect((await entra.redeem(code, pkce.verifier)).status).toBe(200);
    const twice = await entra.redeem(code, pkce.verifier);
    expect(twice.status).toBe(400);
    expect(twice.body).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });

    const late = await entra.code(AVERY, pkce);
    clock += CODE_LIFETIME_MS + 1000;
    const expired = await entra.redeem(late, pkce.verifier);
    expect(expired.body).toMatchObject({ error: 'invalid_grant', error_codes: [70008] });

    const fromServer = await entra.redeem(await entra.code(AVERY, pkce), pkce.verifier, {}, null);
    expect(fromServer.status).toBe(400);
    expect(fromServer.body).toMatchObject({ error: 'invalid_request', error_codes: [9002327] });
    const noVerifier = await entra.token({ grant_type: 'authorization_code', code: await entra.code(AVERY, pkce), redirect_uri: REDIRECT_URI });
    expect(noVerifier.body).toMatchObject({ error: 'invalid_request', error_codes: [9002325] });
  });

  it('renews with refresh tokens, for the API or Graph, until the 24 hours of an SPA sign-in are over', async () => {
    const first = await entra.signIn(IT);
    const renewed = await entra.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: `${standIn.apiScope} openid profile offline_access` });
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
    expect(renewed.body.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(renewed.body.access_token)).toMatchObject({ aud: standIn.clientId, oid: IT.id, roles: ['ITAdmin'], scp: 'access_as_user' });
    const graph = await entra.token({ grant_type: 'refresh_token', refresh_token: renewed.body.refresh_token, scope: 'Mail.ReadWrite openid profile offline_access' });
    expect(graph.status).toBe(200);
    expect(graph.body.scope).toBe('Mail.ReadWrite');
    expect(decodeJwt(graph.body.access_token)).toMatchObject({ aud: 'https://graph.microsoft.com', scp: 'Mail.ReadWrite', oid: IT.id });
    const bogus = await entra.token({ grant_type: 'refresh_token', refresh_token: 'not-one-of-ours', scope: standIn.apiScope });
    expect(bogus.body.error).toBe('invalid_grant');
    clock += SPA_REFRESH_LIFETIME_MS;
    const over = await entra.token({ grant_type: 'refresh_token', refresh_token: graph.body.refresh_token, scope: standIn.apiScope });
    expect(over.body).toMatchObject({ error: 'invalid_grant', error_codes: [700084] });
  });
});

describe('the local API and the stand-in', () => {
  const me = (token: string) => api.call(undefined, 'GET', '/api/me', { headers: { authorization: `Bearer ${token}` } });

  it("takes the stand-in's access token as it takes Entra's, with the person and their roles", async () => {
    const tokens = await entra.signIn(MANAGER);
    const answer = await me(tokens.access_token);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.member).toMatchObject({ id: MANAGER.id, email: MANAGER.email, displayName: MANAGER.displayName });
    expect(answer.body.roles).toEqual(['AccountManager']);
  });

  it('refuses a tampered token, one for another audience, one without scp, and one of another issuer', async () => {
    const { access_token: token } = await entra.signIn(AVERY);
    const [header, , signature] = token.split('.');
    const raised = Buffer.from(JSON.stringify({ ...decodeJwt(token), roles: ['ITAdmin'] })).toString('base64url');
    const claims = decodeJwt(token);
    const { scp: _scp, ...withoutScp } = claims;
    const graphToken = (await entra.token({ grant_type: 'refresh_token', refresh_token: (await entra.signIn(AVERY)).refresh_token, scope: 'User.Read' })).body.access_token;
    const cases: [string, string][] = [
      ['tampered (roles raised)', `${header}.${raised}.${signature}`],
      ['for Graph (another audience)', graphToken],
      ['another audience', await standIn.sign({ ...claims, aud: 'api://someone-else' })],
      ['without scp (app-only)', await standIn.sign({ ...withoutScp, roles: ['ITAdmin'] })],
      ['another issuer', await standIn.sign({ ...claims, iss: `https://login.microsoftonline.com/${DEMO_TENANT}/v2.0` })],
    ];
    for (const [label, bad] of cases) {
      const answer = await me(bad);
      expect(answer.status, label).toBe(401);
      expect(answer.body.error.code, label).toBe('UNAUTHENTICATED');
    }
    expect((await me(token)).status).toBe(200);
  });

  it('is trusted only in dev mode: a host with dev mode off refuses its tokens', async () => {
    const dev = await createDevIdentity();
    const { pipeline } = await composeServer(
      { storageConnectionString: sharedAzurite().connectionString, tableName: freshTableName(), devMode: false, auth: undefined, tabUrl: 'http://localhost:5173/' },
      { dev: { identity: dev, issuer: dev.issuer, entra: standIn.issuerConfig, tenant: DEMO_TENANT } },
    );
    const server: http.Server = await startLocalHost({ pipeline, port: 0 });
    try {
      const { access_token: token } = await entra.signIn(AVERY);
      const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(401);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
