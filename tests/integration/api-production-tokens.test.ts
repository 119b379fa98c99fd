/**
 * The API configured as in Azure (dev mode off, the Entra v2 issuer template, the client id as audience, an
 * allowed tenant, keys fetched from a JWKS address) with its own RS256 key pair, served by a loopback JWKS
 * server. Tokens are built as Entra builds v2 access tokens: delegated ones with `scp`, app-only ones
 * (client credentials) with `roles`, no `scp` and `idtyp: app`.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { JWK } from 'jose';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServer } from '../../server/compose.js';
import { configFromEnv } from '../../server/config.js';
import { createDevIdentity } from '../../server/local/dev-identity.js';
import { DEMO_USERS } from '../../server/local/demo-users.js';
import { startLocalHost } from '../../server/local/host.js';
import { listenOn } from '../../server/local/listen.js';
import { freshTableName, sharedAzurite } from '../support/api.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
const CLIENT_ID = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
const TAB_CLIENT_ID = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
const KID = 'entra-test-1';
const ENTRA_ISSUER = (tenant: string) => `https://login.microsoftonline.com/${tenant}/v2.0`;
const person = { oid: '0b1f6b4e-6b0f-4a5c-9f59-7d3c2c1a0001', name: 'Morgan Lee', upn: 'morgan.lee@contoso.example' };

let jwksServer: http.Server;
let apiServer: http.Server;
let apiUrl: string;
let signingKey: CryptoKey;
let publicKey: CryptoKey;
let publicJwk: JWK;

/** A v2 access token as Entra issues it to the tab for a signed-in person (delegated, `scp`). */
function delegatedClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: CLIENT_ID,
    iss: ENTRA_ISSUER(TENANT),
    iat: now,
    nbf: now,
    exp: now + 3600,
    aio: 'AWQAm/8ZAAAA',
    azp: TAB_CLIENT_ID,
    azpacr: '0',
    name: person.name,
    oid: person.oid,
    preferred_username: person.upn,
    rh: '0.AXEAv4j5cvGGr0GRqy180BHbRw.',
    roles: ['ITAdmin'],
    scp: 'access_as_user',
    sub: 'Jx6gUXbVdwFeq7rnBO1-hTiJb7ksXoXUGbA3SK6GFkE',
    tid: TENANT,
    uti: 'fqiBqXLPj0eQa82S-IYFAA',
    ver: '2.0',
    ...overrides,
  };
}

/** A v2 app-only token (client credentials): the app's own roles, no `scp`, no person. */
function appOnlyClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { name: _name, preferred_username: _upn, scp: _scp, ...rest } = delegatedClaims();
  return { ...rest, azpacr: '1', idtyp: 'app', oid: '8f1a0c2e-0d53-4b1e-9a7f-3a4b5c6d7e8f', sub: '8f1a0c2e-0d53-4b1e-9a7f-3a4b5c6d7e8f', roles: ['ITAdmin'], ...overrides };
}

const sign = (claims: Record<string, unknown>, key: CryptoKey = signingKey, kid = KID) => new SignJWT(claims).setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid }).sign(key);

async function call(token: string | undefined, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['idempotency-key'] = randomUUID();
  }
  const response = await fetch(apiUrl + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  publicKey = pair.publicKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  // The tenant's published keys, as https://login.microsoftonline.com/common/discovery/v2.0/keys serves them.
  jwksServer = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  const jwksPort = await listenOn(jwksServer);
  const azurite = sharedAzurite();
  // As Azure's app settings configure it (manifest/azure/main.bicep); azure.ts forces dev mode off.
  const config = configFromEnv({
    CREDIT_DESK_STORAGE: azurite.connectionString,
    CREDIT_DESK_AUDIENCE: CLIENT_ID,
    CREDIT_DESK_ALLOWED_TENANTS: TENANT,
    CREDIT_DESK_JWKS_URL: `http://127.0.0.1:${jwksPort}/common/discovery/v2.0/keys`,
    CREDIT_DESK_DEV_MODE: '1',
  });
  const { pipeline } = await composeServer({ ...config, devMode: false, tableName: freshTableName() });
  apiServer = await startLocalHost({ pipeline, port: 0 });
  apiUrl = `http://127.0.0.1:${(apiServer.address() as import('node:net').AddressInfo).port}`;
});

afterAll(async () => {
  apiServer?.closeAllConnections();
  await new Promise((resolve) => apiServer?.close(resolve));
  await new Promise((resolve) => jwksServer?.close(resolve));
});

function expectRefused(answer: Awaited<ReturnType<typeof call>>, label: string) {
  const text = `${label} → ${answer.status} ${JSON.stringify(answer.body)}`;
  expect(answer.status, text).toBe(401);
  expect(answer.body?.error?.code, text).toBe('UNAUTHENTICATED');
  expect(answer.headers.get('www-authenticate'), text).toMatch(/^Bearer/);
}

describe('a production-configured host with its own signing keys', () => {
  it('takes a delegated user token as Entra issues it, with the roles it carries', async () => {
    const token = await sign(delegatedClaims());
    const me = await call(token, 'GET', '/api/me');
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body.member).toMatchObject({ id: person.oid, email: person.upn, displayName: person.name });
    expect(me.body.roles).toEqual(['ITAdmin']);
    expect((await call(token, 'GET', '/api/ledger/check')).status).toBe(200);
  });

  it('refuses app-only tokens, with a reason that says so', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['app-only (idtyp app, no scp)', appOnlyClaims()],
      ['app-only without the optional idtyp claim', appOnlyClaims({ idtyp: undefined })],
      ['idtyp app with a scope claim added', appOnlyClaims({ scp: 'access_as_user' })],
    ];
    for (const [label, claims] of cases) {
      const token = await sign(claims);
      for (const [method, path] of [['GET', '/api/me'], ['GET', '/api/ledger/check'], ['GET', '/api/settings']] as const) {
        const answer = await call(token, method, path);
        expectRefused(answer, `${label} ${path}`);
        expect(answer.body.error.message, label).toMatch(/app-only/);
      }
      expectRefused(await call(token, 'PUT', '/api/settings', { unitName: 'Tokens' }), `${label} PUT settings`);
    }
  });

  it('refuses a delegated token for another scope of the app', async () => {
    const answer = await call(await sign(delegatedClaims({ scp: 'User.Read Mail.ReadWrite' })), 'GET', '/api/me');
    expectRefused(answer, 'other scope');
    expect(answer.body.error.message).toMatch(/access_as_user/);
  });

  it('refuses tokens for another audience, issuer or tenant, expired, unsigned, HMAC-signed or signed by an unknown key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const other = await generateKeyPair('RS256');
    const publicPem = await exportSPKI(publicKey);
    const hmac = (secret: string) => new SignJWT(delegatedClaims()).setProtectedHeader({ typ: 'JWT', alg: 'HS256', kid: KID }).sign(new TextEncoder().encode(secret));
    const dev = await createDevIdentity();
    const cases: [string, string][] = [
      ['wrong audience', await sign(delegatedClaims({ aud: '00000003-0000-0000-c000-000000000000' }))],
      ['the Application ID URI as audience (a v1 token)', await sign(delegatedClaims({ aud: `api://desk.contoso.example/${CLIENT_ID}` }))],
      ['wrong issuer (v1 issuer)', await sign(delegatedClaims({ iss: `https://sts.windows.net/${TENANT}/` }))],
      ['issuer of another tenant', await sign(delegatedClaims({ iss: ENTRA_ISSUER(OTHER_TENANT) }))],
      ['another tenant', await sign(delegatedClaims({ tid: OTHER_TENANT, iss: ENTRA_ISSUER(OTHER_TENANT) }))],
      ['expired', await sign(delegatedClaims({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 }))],
      ['not yet valid', await sign(delegatedClaims({ nbf: now + 3600 }))],
      ['alg none', `${b64({ typ: 'JWT', alg: 'none', kid: KID })}.${b64(delegatedClaims())}.`],
      ['HS256 with a made-up secret', await hmac('a-shared-secret-that-nobody-should-trust')],
      ['HS256 with the public key as the secret', await hmac(publicPem)],
      ['signed by another key under the known kid', await sign(delegatedClaims(), other.privateKey)],
      ['signed by an unknown kid', await sign(delegatedClaims(), other.privateKey, 'unknown-kid')],
      ['the dev issuer', await dev.sign(DEMO_USERS.find((u) => u.roles.includes('ITAdmin'))!)],
      ['the dev issuer with this tenant and audience', await dev.sign(DEMO_USERS[0]!, { tid: TENANT, aud: CLIENT_ID })],
    ];
    for (const [label, token] of cases) {
      expectRefused(await call(token, 'GET', '/api/me'), label);
      expectRefused(await call(token, 'GET', '/api/ledger/check'), label);
    }
    // The key pair and the JWKS server still work: a good token after all of them is taken.
    expect((await call(await sign(delegatedClaims()), 'GET', '/api/me')).status).toBe(200);
  });

  it('has no dev routes, even for a loopback caller', async () => {
    expect((await call(undefined, 'GET', '/api/dev/users')).status).toBe(404);
    const token = await call(undefined, 'POST', '/api/dev/token', { user: DEMO_USERS[0]!.email });
    expect(token.status).toBe(404);
    expect(token.body.error.code).toBe('NOT_FOUND');
    const openapi = await call(undefined, 'GET', '/api/openapi.json');
    expect(Object.keys(openapi.body.paths).some((p) => p.startsWith('/api/dev'))).toBe(false);
  });
});
