import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT } from '../../server/local/demo-users.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../server/local/dev-identity.js';
import type { ApiAnswer, TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, startTestApi } from '../support/api.js';

let api: TestApi;
const [registered, unregistered, requested] = EMPLOYEES as [DemoUser, DemoUser, DemoUser];
let openPurchaseId: string;
let cancelledPurchaseId: string;
let appliedPurchaseId: string;

const today = () => new Date().toISOString().slice(0, 10);
/** Two days past the latest "today" anywhere on Earth. */
const future = () => new Date(Date.now() + 14 * 3_600_000 + 2 * 86_400_000).toISOString().slice(0, 10);
const usage = (extra: Record<string, unknown> = {}) => ({ service: 'cloud_rendering', credits: 10, date: today(), ...extra });

async function everything<T = unknown>(user: DemoUser, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const answer: ApiAnswer = await api.call(user, 'GET', `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(200);
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor;
  } while (cursor);
  return items;
}

/** What must not move when a request is refused: every transfer, balances, the pool, purchases, members, the feed, settings. */
async function snapshot() {
  const me = async (user: DemoUser) => {
    const answer = await api.call(user, 'GET', '/api/me');
    expect(answer.status).toBe(200);
    return { credits: answer.body.credits, registration: answer.body.registration, mayDrawFromPool: answer.body.mayDrawFromPool };
  };
  const check = await api.ledgerCheck();
  expect(check).toEqual({ ok: true, violations: [] });
  return {
    transfers: await everything(IT, '/api/usage'),
    me: { registered: await me(registered), unregistered: await me(unregistered), requested: await me(requested), manager: await me(MANAGER) },
    pool: (await api.call(IT, 'GET', '/api/pool')).body,
    purchases: await everything(MANAGER, '/api/purchases'),
    members: await everything(MANAGER, '/api/members'),
    feed: await everything(IT, '/api/feed'),
    settings: (await api.call(IT, 'GET', '/api/settings')).body,
  };
}

/** Runs a family of bad requests and proves that nothing changed. */
async function changesNothing(family: () => Promise<void>) {
  const before = await snapshot();
  expect(before.transfers.length).toBeGreaterThan(0);
  await family();
  const after = await snapshot();
  expect(after).toEqual(before);
}

function expectError(answer: ApiAnswer, status: number, code: string, label = '') {
  const text = `${label} → ${answer.status} ${JSON.stringify(answer.body)}`;
  expect(answer.status, text).toBe(status);
  expect(answer.body?.error?.code, text).toBe(code);
  expect(typeof answer.body?.error?.message, text).toBe('string');
  expect(answer.headers.get('content-type'), text).toMatch(/^application\/json/);
}

function issuePaths(answer: ApiAnswer): string[] {
  return (answer.body?.error?.details?.issues ?? []).map((i: { path: string }) => i.path);
}

beforeAll(async () => {
  api = await startTestApi();
  await api.call(unregistered, 'GET', '/api/me');
  await api.call(MANAGER, 'GET', '/api/me');
  await api.register(registered);
  await api.call(requested, 'GET', '/api/me');
  expect((await api.call(requested, 'POST', '/api/registrations', { body: {} })).status).toBe(201);
  appliedPurchaseId = await api.fillPool(1);
  const open = await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 3 } });
  expect(open.status).toBe(201);
  openPurchaseId = open.body.purchase.id;
  const doomed = await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 1 } });
  cancelledPurchaseId = doomed.body.purchase.id;
  expect((await api.call(MANAGER, 'POST', `/api/purchases/${cancelledPurchaseId}/events`, { body: { type: 'cancelled', reason: 'Not needed' } })).status).toBe(200);
  const first = await api.call(registered, 'POST', '/api/usage', { body: usage({ credits: 12.5 }) });
  expect(first.status).toBe(201);
});

afterAll(async () => {
  await api?.stack.stop();
});

describe('bad input gets a coded error and changes nothing', () => {
  it('malformed JSON is 400 MALFORMED_JSON', async () => {
    await changesNothing(async () => {
      for (const raw of ['{', '{"service":"other",}', 'not json', "{'credits': 1}", '', '{"credits": NaN}', '{"credits": Infinity}', '{"a":1}{"b":2}']) {
        const answer = await api.call(registered, 'POST', '/api/usage', { rawBody: raw });
        expectError(answer, 400, 'MALFORMED_JSON', JSON.stringify(raw));
      }
      expectError(await api.call(IT, 'PUT', '/api/settings', { rawBody: '{"unitName":' }), 400, 'MALFORMED_JSON', 'settings');
      expectError(await api.call(MANAGER, 'POST', '/api/purchases', { rawBody: '[1,' }), 400, 'MALFORMED_JSON', 'purchases');
    });
  });

  it('wrong types, unknown fields and bad queries are 400 VALIDATION_FAILED naming the field', async () => {
    await changesNothing(async () => {
      const cases: [Record<string, unknown>, string][] = [
        [usage({ service: 5 }), 'service'],
        [usage({ date: 20260101 }), 'date'],
        [usage({ project: 42 }), 'project'],
        [usage({ note: ['a'] }), 'note'],
        [usage({ memberId: 7 }), 'memberId'],
        [usage({ project: '   ' }), 'project'],
        [usage({ colour: 'blue' }), ''],
        [usage({ Credits: 10 }), ''],
      ];
      for (const [body, field] of cases) {
        const answer = await api.call(registered, 'POST', '/api/usage', { body });
        expectError(answer, 400, 'VALIDATION_FAILED', JSON.stringify(body));
        expect(issuePaths(answer), JSON.stringify(body)).toContain(field);
      }
      for (const body of [[], 'usage', 42, null, true]) {
        expectError(await api.call(registered, 'POST', '/api/usage', { body }), 400, 'VALIDATION_FAILED', JSON.stringify(body));
      }
      expectError(await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: '2' } }), 400, 'VALIDATION_FAILED', 'blocks as string');
      expectError(await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 1.5 } }), 400, 'VALIDATION_FAILED', 'blocks 1.5');
      expectError(await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 0 } }), 400, 'VALIDATION_FAILED', 'blocks 0');
      expectError(await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 1001 } }), 400, 'VALIDATION_FAILED', 'blocks 1001');
      expectError(await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 1, extra: true } }), 400, 'VALIDATION_FAILED', 'purchase extra');
      expectError(await api.call(MANAGER, 'POST', `/api/purchases/${openPurchaseId}/events`, { body: { type: 'shipped' } }), 400, 'VALIDATION_FAILED', 'purchase event type');
      expectError(
        await api.call(MANAGER, 'POST', `/api/purchases/${openPurchaseId}/events`, { body: { type: 'quote_received', quoteNumber: 'Q', price: 10, currency: 'usd' } }),
        400,
        'VALIDATION_FAILED',
        'currency',
      );
      expectError(await api.call(MANAGER, 'POST', `/api/registrations/${registered.id}/events`, { body: { type: 'promoted' } }), 400, 'VALIDATION_FAILED', 'registration event type');
      expectError(await api.call(MANAGER, 'POST', '/api/registrations', { body: { email: 'not-an-email' } }), 400, 'VALIDATION_FAILED', 'registration email');
      expectError(await api.call(MANAGER, 'POST', '/api/transfers/abc/reversal', { body: {} }), 400, 'VALIDATION_FAILED', 'reversal reason');
      expectError(await api.call(MANAGER, 'POST', '/api/transfers/abc/reversal', { body: { reason: '  ' } }), 400, 'VALIDATION_FAILED', 'blank reason');
      expectError(await api.call(registered, 'POST', '/api/dev/token', { body: { user: 'nobody' } }), 400, 'VALIDATION_FAILED', 'dev token');
      // Queries and paths.
      for (const path of ['/api/usage?limit=0', '/api/usage?limit=201', '/api/usage?limit=ten', '/api/usage?colour=blue', '/api/me?x=1', '/api/purchases?state=lost', '/api/registrations?state=happy']) {
        const user = path.startsWith('/api/usage') || path.startsWith('/api/me') ? registered : MANAGER;
        expectError(await api.call(user, 'GET', path), 400, 'VALIDATION_FAILED', path);
      }
      expectError(await api.call(MANAGER, 'POST', '/api/purchases/bad%20id/events', { body: { type: 'approved' } }), 400, 'VALIDATION_FAILED', 'bad path id');
    });
  });

  it('credits must be a number > 0 and ≤ 100000 with at most two decimals', async () => {
    await changesNothing(async () => {
      const bad: unknown[] = [-5, -0.01, 0, -0, 1.234, 0.001, 10.005, '10', '', null, true, [], {}, 100000.01, 100001, 1e6, 1e308, Number.MAX_SAFE_INTEGER];
      for (const credits of bad) {
        const answer = await api.call(registered, 'POST', '/api/usage', { body: usage({ credits }) });
        expectError(answer, 400, 'VALIDATION_FAILED', `credits ${JSON.stringify(credits)}`);
        expect(issuePaths(answer), `credits ${JSON.stringify(credits)}`).toContain('credits');
      }
      // JSON numbers that overflow to Infinity, and NaN-like strings.
      for (const raw of [`{"service":"other","date":"${today()}","credits":1e999}`, `{"service":"other","date":"${today()}","credits":-1e999}`, `{"service":"other","date":"${today()}","credits":"NaN"}`]) {
        const answer = await api.call(registered, 'POST', '/api/usage', { rawBody: raw });
        expectError(answer, 400, 'VALIDATION_FAILED', raw);
        expect(issuePaths(answer)).toContain('credits');
      }
      // Also when an account manager logs for someone.
      expectError(await api.call(MANAGER, 'POST', '/api/usage', { body: usage({ credits: 0, memberId: registered.id }) }), 400, 'VALIDATION_FAILED', 'manager credits 0');
    });
  });

  it('missing fields are 400 VALIDATION_FAILED', async () => {
    await changesNothing(async () => {
      for (const field of ['service', 'credits', 'date']) {
        const body: Record<string, unknown> = usage();
        delete body[field];
        const answer = await api.call(registered, 'POST', '/api/usage', { body });
        expectError(answer, 400, 'VALIDATION_FAILED', `without ${field}`);
        expect(issuePaths(answer)).toContain(field);
      }
      const empty = await api.call(registered, 'POST', '/api/usage', { body: {} });
      expectError(empty, 400, 'VALIDATION_FAILED', 'empty');
      expect(issuePaths(empty)).toEqual(expect.arrayContaining(['service', 'credits', 'date']));
      expectError(await api.call(MANAGER, 'POST', '/api/purchases', { body: {} }), 400, 'VALIDATION_FAILED', 'purchase without blocks');
      expectError(await api.call(MANAGER, 'POST', `/api/registrations/${registered.id}/events`, { body: {} }), 400, 'VALIDATION_FAILED', 'event without type');
      expectError(await api.call(MANAGER, 'POST', `/api/purchases/${openPurchaseId}/events`, { body: { reason: 'x' } }), 400, 'VALIDATION_FAILED', 'purchase event without type');
      const { homeUseKbUrl: _dropped, ...partial } = (await api.call(IT, 'GET', '/api/settings')).body;
      expectError(await api.call(IT, 'PUT', '/api/settings', { body: partial }), 400, 'VALIDATION_FAILED', 'settings without homeUseKbUrl');
      // Fields the domain needs for a step: a received quote needs number, price and currency; an order a PO.
      expectError(await api.call(MANAGER, 'POST', `/api/purchases/${openPurchaseId}/events`, { body: { type: 'quote_received', quoteNumber: 'Q-1' } }), 400, 'VALIDATION_FAILED', 'quote without price');
      expectError(await api.call(MANAGER, 'POST', `/api/registrations/${requested.id}/events`, { body: { type: 'declined' } }), 400, 'VALIDATION_FAILED', 'decline without reason');
    });
  });

  it('dates must be real YYYY-MM-DD days, not in the future', async () => {
    await changesNothing(async () => {
      for (const date of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '26-1-1', '2026-1-1', '01/02/2026', '2026-01-01T00:00:00Z', '', 'yesterday', future(), '2999-12-31']) {
        const answer = await api.call(registered, 'POST', '/api/usage', { body: usage({ date }) });
        expectError(answer, 400, 'VALIDATION_FAILED', `date ${date}`);
        expect(issuePaths(answer), date).toContain('date');
      }
    });
  });

  it('days outside the years 2000 to 2100 are 400 VALIDATION_FAILED on every route that takes one', async () => {
    await changesNothing(async () => {
      for (const date of ['0000-01-01', '1999-12-31', '0001-01-01']) {
        const logged = await api.call(registered, 'POST', '/api/usage', { body: usage({ date }) });
        expectError(logged, 400, 'VALIDATION_FAILED', `usage ${date}`);
        expect(logged.body.error.details.issues, date).toContainEqual(expect.objectContaining({ path: 'date', message: expect.stringMatching(/2000 to 2100/) }));
        expectError(await api.call(MANAGER, 'POST', '/api/usage', { body: usage({ date, memberId: registered.id }) }), 400, 'VALIDATION_FAILED', `manager usage ${date}`);
      }
      for (const query of ['from=0000-01-01&to=2026-01-31', 'from=2026-01-01&to=2101-01-01', 'from=1999-12-31&to=2000-01-01']) {
        const report = await api.call(MANAGER, 'GET', `/api/reports/chargeback?${query}&groupBy=office`);
        expectError(report, 400, 'VALIDATION_FAILED', `chargeback ${query}`);
      }
      const settings = (await api.call(IT, 'GET', '/api/settings')).body;
      for (const holiday of ['0000-01-01', '2101-12-25']) {
        expectError(await api.call(IT, 'PUT', '/api/settings', { body: { ...settings, holidays: [holiday] } }), 400, 'VALIDATION_FAILED', `holiday ${holiday}`);
      }
    });
    // The first and last years are in.
    expect((await api.call(MANAGER, 'GET', '/api/reports/chargeback?from=2000-01-01&to=2000-12-31&groupBy=office')).status).toBe(200);
  });

  it('an unknown service is 400 VALIDATION_FAILED with the allowed slugs', async () => {
    await changesNothing(async () => {
      for (const service of ['teleportation', 'Cloud_Rendering', 'cloud rendering', '']) {
        const answer = await api.call(registered, 'POST', '/api/usage', { body: usage({ service }) });
        expectError(answer, 400, 'VALIDATION_FAILED', `service ${service}`);
      }
      const answer = await api.call(registered, 'POST', '/api/usage', { body: usage({ service: 'teleportation' }) });
      expect(answer.body.error.details.allowed).toEqual(expect.arrayContaining(['cloud_rendering', 'simulation', 'generative_design', 'other']));
      expectError(await api.call(MANAGER, 'POST', '/api/usage', { body: usage({ service: 'teleportation', memberId: registered.id }) }), 400, 'VALIDATION_FAILED', 'manager unknown service');
    });
  });

  it('a body over 64 KiB is 413 PAYLOAD_TOO_LARGE; a body that is not JSON is 415', async () => {
    await changesNothing(async () => {
      const huge = JSON.stringify(usage({ note: 'x'.repeat(70 * 1024) }));
      expectError(await api.call(registered, 'POST', '/api/usage', { rawBody: huge }), 413, 'PAYLOAD_TOO_LARGE', 'huge usage');
      expectError(await api.call(registered, 'POST', '/api/usage', { rawBody: ' '.repeat(64 * 1024) + '{}' }), 413, 'PAYLOAD_TOO_LARGE', 'padded');
      expectError(await api.call(IT, 'PUT', '/api/settings', { rawBody: 'x'.repeat(200 * 1024) }), 413, 'PAYLOAD_TOO_LARGE', 'huge settings');
      const valid = JSON.stringify(usage());
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/json']) {
        expectError(await api.call(registered, 'POST', '/api/usage', { rawBody: valid, headers: { 'content-type': type } }), 415, 'UNSUPPORTED_MEDIA_TYPE', type);
      }
      expectError(await api.call(MANAGER, 'POST', '/api/purchases', { rawBody: '{"blocks":1}', headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE', 'purchase text');
    });
  });

  it('unknown routes are 404 and wrong methods 405 with an Allow header', async () => {
    await changesNothing(async () => {
      for (const [method, path] of [
        ['GET', '/api/nothing'],
        ['GET', '/'],
        ['GET', '/api'],
        ['POST', '/api/usage/123'],
        ['GET', '/api/usage/'],
        ['GET', '/api/transfers/abc'],
        ['POST', '/api/registrations/abc/events/extra'],
        ['GET', '/API/ME'],
      ] as const) {
        expectError(await api.call(registered, method, path, method === 'POST' ? { body: {} } : {}), 404, 'NOT_FOUND', `${method} ${path}`);
      }
      for (const [method, path, allow] of [
        ['DELETE', '/api/usage', ['GET', 'POST']],
        ['PATCH', '/api/settings', ['GET', 'PUT']],
        ['POST', '/api/settings', ['GET', 'PUT']],
        ['PUT', '/api/me', ['GET']],
        ['GET', '/api/transfers/abc/reversal', ['POST']],
        ['DELETE', '/api/purchases/abc/events', ['POST']],
        ['POST', '/api/healthz', ['GET']],
        ['PUT', '/api/registrations', ['GET', 'POST']],
      ] as const) {
        const answer = await api.call(registered, method, path, method === 'GET' || method === 'DELETE' ? {} : { body: {} });
        expectError(answer, 405, 'METHOD_NOT_ALLOWED', `${method} ${path}`);
        const header = (answer.headers.get('allow') ?? '').split(',').map((m) => m.trim()).sort();
        expect(header, `${method} ${path}`).toEqual([...allow].sort());
      }
    });
  });

  it('unknown members, purchases and transfers are 404', async () => {
    await changesNothing(async () => {
      expectError(await api.call(MANAGER, 'POST', '/api/registrations/no-such-member/events', { body: { type: 'account_created' } }), 404, 'NOT_FOUND', 'event for nobody');
      expectError(await api.call(MANAGER, 'POST', '/api/usage', { body: usage({ memberId: 'no-such-member' }) }), 404, 'NOT_FOUND', 'usage for nobody');
      const ghost = await api.call(MANAGER, 'POST', '/api/registrations', { body: { email: 'ghost@contoso.example' } });
      expectError(ghost, 404, 'NOT_FOUND', 'registration for nobody');
      expect(ghost.body.error.details).toEqual({ email: 'ghost@contoso.example' });
      expectError(await api.call(MANAGER, 'POST', '/api/purchases/no-such-purchase/events', { body: { type: 'approved' } }), 404, 'NOT_FOUND', 'purchase');
      expectError(await api.call(MANAGER, 'POST', '/api/transfers/no-such-transfer/reversal', { body: { reason: 'typo' } }), 404, 'NOT_FOUND', 'transfer');
    });
  });

  it('invalid registration and purchase transitions are 409 INVALID_TRANSITION with the allowed events', async () => {
    await changesNothing(async () => {
      const selfComplete = await api.call(unregistered, 'POST', `/api/registrations/${unregistered.id}/events`, { body: { type: 'completed' } });
      expectError(selfComplete, 409, 'INVALID_TRANSITION', 'complete before requested');
      expect(selfComplete.body.error.details).toMatchObject({ from: 'not_requested', event: 'completed' });
      expect(selfComplete.body.error.details.allowed).toEqual(expect.arrayContaining(['requested', 'already_registered']));
      expectError(await api.call(MANAGER, 'POST', `/api/registrations/${unregistered.id}/events`, { body: { type: 'account_created' } }), 409, 'INVALID_TRANSITION', 'account_created before requested');
      expectError(await api.call(MANAGER, 'POST', `/api/registrations/${registered.id}/events`, { body: { type: 'requested' } }), 409, 'INVALID_TRANSITION', 'requested when registered');
      expectError(await api.call(MANAGER, 'POST', `/api/registrations/${registered.id}/events`, { body: { type: 'completed' } }), 409, 'INVALID_TRANSITION', 'completed twice');
      expectError(await api.call(registered, 'POST', '/api/registrations', { body: {} }), 409, 'INVALID_TRANSITION', 'request when registered');

      const skip = await api.call(MANAGER, 'POST', `/api/purchases/${openPurchaseId}/events`, { body: { type: 'applied' } });
      expectError(skip, 409, 'INVALID_TRANSITION', 'applied from requested');
      expect(skip.body.error.details).toMatchObject({ from: 'requested', event: 'applied' });
      expectError(await api.call(MANAGER, 'POST', `/api/purchases/${openPurchaseId}/events`, { body: { type: 'approved' } }), 409, 'INVALID_TRANSITION', 'approved from requested');
      expectError(await api.call(MANAGER, 'POST', `/api/purchases/${openPurchaseId}/events`, { body: { type: 'ordered', poNumber: 'PO-1' } }), 409, 'INVALID_TRANSITION', 'ordered from requested');
      expectError(await api.call(MANAGER, 'POST', `/api/purchases/${cancelledPurchaseId}/events`, { body: { type: 'quote_requested' } }), 409, 'INVALID_TRANSITION', 'after cancelled');
      expectError(await api.call(MANAGER, 'POST', `/api/purchases/${cancelledPurchaseId}/events`, { body: { type: 'cancelled' } }), 409, 'INVALID_TRANSITION', 'cancelled twice');
      expectError(await api.call(MANAGER, 'POST', `/api/purchases/${appliedPurchaseId}/events`, { body: { type: 'applied' } }), 409, 'INVALID_TRANSITION', 'applied twice');
      expectError(await api.call(IT, 'POST', `/api/purchases/${appliedPurchaseId}/events`, { body: { type: 'cancelled' } }), 409, 'INVALID_TRANSITION', 'cancel after applied');
    });
  });

  it('tokens that are missing, malformed, foreign, expired, for another audience or tenant are 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const foreignKey = await generateKeyPair('RS256');
    const claims = { oid: registered.id, tid: DEMO_TENANT, name: registered.displayName, preferred_username: registered.email, roles: ['ITAdmin'] };
    const foreign = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'dev-1' })
      .setIssuer(DEV_ISSUER.replace('{tenant}', DEMO_TENANT))
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(foreignKey.privateKey);
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(DEV_ISSUER.replace('{tenant}', DEMO_TENANT))
      .setAudience(DEV_AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-that-nobody-should-trust'));
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: DEV_ISSUER.replace('{tenant}', DEMO_TENANT), aud: DEV_AUDIENCE, exp: now + 3600 })}.`;
    const valid = await api.stack.dev.sign(registered);
    const [head, body] = valid.split('.');
    const tampered = `${head}.${b64({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), roles: ['ITAdmin'] })}.${valid.split('.')[2]}`;
    const sign = (overrides: Record<string, unknown>) => api.stack.dev.sign(registered, overrides);
    // Algorithm confusion: HS256 with the issuer's own public key (as PEM and as JWK text) for the secret.
    const publicKey = await api.stack.dev.issuer.keys({ alg: 'RS256', kid: 'dev-1' }, { payload: '', signature: '' });
    const publicPem = await exportSPKI(publicKey as CryptoKey);
    const publicJwk = JSON.stringify(await exportJWK(publicKey as CryptoKey));
    const confused = (secret: string) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'dev-1' }).setIssuer(DEV_ISSUER.replace('{tenant}', DEMO_TENANT)).setAudience(DEV_AUDIENCE).setExpirationTime('1h').sign(new TextEncoder().encode(secret));
    const authorizations: [string, string | undefined][] = [
      ['missing', undefined],
      ['empty', ''],
      ['garbage', 'Bearer garbage'],
      ['bearer without token', 'Bearer '],
      ['basic', 'Basic dXNlcjpwYXNz'],
      ['token without Bearer', valid],
      ['foreign key', `Bearer ${foreign}`],
      ['HS256', `Bearer ${hmac}`],
      ['alg none', `Bearer ${unsigned}`],
      ['HS256 with the public key (PEM)', `Bearer ${await confused(publicPem)}`],
      ['HS256 with the public key (JWK)', `Bearer ${await confused(publicJwk)}`],
      ['oversized', `Bearer ${valid}${'A'.repeat(12_500)}`],
      ['roles removed and re-signed by nobody', `Bearer ${head}.${b64({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), roles: undefined })}.${valid.split('.')[2]}`],
      ['tampered payload', `Bearer ${tampered}`],
      ['expired', `Bearer ${await sign({ iat: now - 10 * 3600, exp: now - 2 * 3600 })}`],
      ['not yet valid', `Bearer ${await sign({ nbf: now + 3600 })}`],
      ['no expiry', `Bearer ${await sign({ exp: undefined })}`],
      ['wrong audience', `Bearer ${await sign({ aud: 'api://someone-else' })}`],
      ['wrong issuer', `Bearer ${await sign({ iss: 'https://login.example.com/evil/v2.0' })}`],
      ['another tenant', `Bearer ${await sign({ tid: '11111111-2222-3333-4444-555555555555' })}`],
      ['no oid', `Bearer ${await sign({ oid: undefined })}`],
      ['app-only (idtyp app, no scp)', `Bearer ${await sign({ scp: undefined, idtyp: 'app' })}`],
      ['no scp', `Bearer ${await sign({ scp: undefined, idtyp: undefined })}`],
      ['another scope', `Bearer ${await sign({ scp: 'User.Read' })}`],
    ];
    // The overrides really are in the signed tokens (so a 401 is for the reason named, not a broken test token).
    expect((await api.call(undefined, 'GET', '/api/me', { headers: { authorization: `Bearer ${await sign({ name: 'Renamed' })}` } })).status).toBe(200);

    await changesNothing(async () => {
      for (const [label, authorization] of authorizations) {
        const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
        const answers = [
          await api.call(undefined, 'POST', '/api/usage', { body: usage(), headers }),
          await api.call(undefined, 'GET', '/api/me', { headers }),
          await api.call(undefined, 'GET', '/api/ledger/check', { headers }),
          await api.call(undefined, 'PUT', '/api/settings', { body: { unitName: 'Flex tokens' }, headers }),
        ];
        for (const answer of answers) {
          expectError(answer, 401, 'UNAUTHENTICATED', label);
          expect(answer.headers.get('www-authenticate'), label).toMatch(/^Bearer/);
        }
      }
    });
  });

  it('usage by someone not registered is 422 NOT_REGISTERED', async () => {
    await changesNothing(async () => {
      const self = await api.call(unregistered, 'POST', '/api/usage', { body: usage() });
      expectError(self, 422, 'NOT_REGISTERED', 'self');
      expect(self.body.error.details).toEqual({ registrationState: 'not_requested' });
      expectError(await api.call(MANAGER, 'POST', '/api/usage', { body: usage({ memberId: unregistered.id }) }), 422, 'NOT_REGISTERED', 'by a manager');
      expectError(await api.call(MANAGER, 'POST', '/api/usage', { body: usage() }), 422, 'NOT_REGISTERED', 'the manager themself');
    });
  });

  it('usage beyond own credits and the pool is 422 POOL_INSUFFICIENT with the pool balance', async () => {
    const me = (await api.call(registered, 'GET', '/api/me')).body;
    const pool = (await api.call(registered, 'GET', '/api/pool')).body;
    expect(pool.balance).toBe(100);
    const tooMuch = me.credits.own + pool.balance + 0.01;
    await changesNothing(async () => {
      const answer = await api.call(registered, 'POST', '/api/usage', { body: usage({ credits: tooMuch }) });
      expectError(answer, 422, 'POOL_INSUFFICIENT', 'self');
      expect(answer.body.error.details).toMatchObject({ poolBalance: 100, needed: 100.01 });
      expect(answer.body.error.details.openPurchases.map((p: { id: string }) => p.id)).toContain(openPurchaseId);
      const byManager = await api.call(MANAGER, 'POST', '/api/usage', { body: usage({ credits: 100_000, memberId: registered.id }) });
      expectError(byManager, 422, 'POOL_INSUFFICIENT', 'manager');
      expect(byManager.body.error.details.poolBalance).toBe(100);
    });
  });

  it('still accepts a valid request afterwards, and the ledger check stays ok', async () => {
    const before = (await api.call(registered, 'GET', '/api/me')).body.credits.own;
    const answer = await api.call(registered, 'POST', '/api/usage', { body: usage({ credits: 0.01 }) });
    expect(answer.status).toBe(201);
    expect(answer.body.fromOwn).toBe(0.01);
    expect((await api.call(registered, 'GET', '/api/me')).body.credits.own).toBeCloseTo(before - 0.01, 2);
    expect(await api.ledgerCheck()).toEqual({ ok: true, violations: [] });
  });
});
