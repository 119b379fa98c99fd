import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteName } from '../../src/contract/index.js';
import { ROUTES } from '../../src/contract/index.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, startTestApi } from '../support/api.js';

/**
 * The route × role matrix. Every route in ROUTES needs a row here (a new route fails this file until it
 * gets one). "deny" is 401 for anonymous callers and 403 for everyone else; "allow" is any other status.
 *
 * - anonymous: no token at all
 * - employee: the first employee, on their own records
 * - other: a second employee, acting on the first employee's records where the route has records
 * - manager: an account manager, acting on the first employee's records
 * - it: IT, acting on the first employee's records
 */
type Verdict = 'allow' | 'deny';
const ROLES = ['anonymous', 'employee', 'other', 'manager', 'it'] as const;
type RoleName = (typeof ROLES)[number];
type Row = Record<RoleName, Verdict>;

const A: Verdict = 'allow';
const D: Verdict = 'deny';
const row = (anonymous: Verdict, employee: Verdict, other: Verdict, manager: Verdict, it: Verdict): Row => ({ anonymous, employee, other, manager, it });

//                                       anonymous employee other manager it
const EXPECTED: Record<string, Row> = {
  healthz: /*                    */ row(A, A, A, A, A),
  openapi: /*                    */ row(A, A, A, A, A),
  me: /*                         */ row(D, A, A, A, A),
  createRegistration: /*         */ row(D, A, D, A, D), // for someone else: account managers only
  listRegistrations: /*          */ row(D, D, D, A, A),
  stuckRegistrations: /*         */ row(D, D, D, A, A),
  registrationEvent: /*          */ row(D, A, D, A, D), // account manager, or the member themself for `completed`
  requestRegistrationHelp: /*    */ row(D, A, D, D, D), // the member themself only (the registered first employee gets 409)
  postUsage: /*                  */ row(D, A, D, A, D), // with memberId: account managers only
  listUsage: /*                  */ row(D, A, D, A, A),
  pool: /*                       */ row(D, A, A, A, A),
  poolForecast: /*               */ row(D, A, A, A, A), // no names in it
  createPurchase: /*             */ row(D, D, D, A, A),
  listPurchases: /*              */ row(D, D, D, A, A),
  purchaseEvent: /*              */ row(D, D, D, A, A),
  listMembers: /*                */ row(D, D, D, A, A),
  memberLookup: /*               */ row(D, D, D, A, A),
  directorySearch: /*            */ row(D, D, D, A, A),
  reverseTransfer: /*            */ row(D, D, D, A, A),
  feed: /*                       */ row(D, A, A, A, A),
  feedDelivery: /*               */ row(D, D, D, D, A),
  requeueParkedEvent: /*         */ row(D, D, D, D, A),
  getSettings: /*                */ row(D, A, A, A, A),
  putSettings: /*                */ row(D, D, D, D, A),
  ledgerCheck: /*                */ row(D, D, D, D, A),
  devUsers: /*                   */ row(A, A, A, A, A),
  devToken: /*                   */ row(A, A, A, A, A),
};

interface Fixture {
  first: DemoUser;
  purchaseId: string;
  transferId: string;
  settings: unknown;
  eventId: string;
}

interface Request {
  method: string;
  path: string;
  body?: unknown;
}

const today = () => new Date().toISOString().slice(0, 10);

/** How each route is called: the `role` says whose records the call targets (always the first employee's where there are records). */
const REQUESTS: Record<string, (f: Fixture, role: RoleName) => Request> = {
  healthz: () => ({ method: 'GET', path: '/api/healthz' }),
  openapi: () => ({ method: 'GET', path: '/api/openapi.json' }),
  me: () => ({ method: 'GET', path: '/api/me' }),
  // The first employee asks for themself; everyone else asks on the first employee's behalf.
  createRegistration: (f, role) => ({ method: 'POST', path: '/api/registrations', body: role === 'employee' ? {} : { email: f.first.email } }),
  listRegistrations: () => ({ method: 'GET', path: '/api/registrations?state=registered' }),
  stuckRegistrations: () => ({ method: 'GET', path: '/api/registrations/stuck' }),
  registrationEvent: (f) => ({ method: 'POST', path: `/api/registrations/${f.first.id}/events`, body: { type: 'completed' } }),
  requestRegistrationHelp: (f) => ({ method: 'POST', path: `/api/registrations/${f.first.id}/help` }),
  postUsage: (f, role) => ({
    method: 'POST',
    path: '/api/usage',
    body: { service: 'cloud_rendering', credits: 1, date: today(), ...(role === 'employee' ? {} : { memberId: f.first.id }) },
  }),
  listUsage: (f) => ({ method: 'GET', path: `/api/usage?memberId=${f.first.id}` }),
  pool: () => ({ method: 'GET', path: '/api/pool' }),
  poolForecast: () => ({ method: 'GET', path: '/api/pool/forecast?horizonDays=30' }),
  createPurchase: () => ({ method: 'POST', path: '/api/purchases', body: { blocks: 1 } }),
  listPurchases: () => ({ method: 'GET', path: '/api/purchases' }),
  purchaseEvent: (f) => ({ method: 'POST', path: `/api/purchases/${f.purchaseId}/events`, body: { type: 'quote_requested' } }),
  listMembers: () => ({ method: 'GET', path: '/api/members' }),
  memberLookup: (f) => ({ method: 'GET', path: `/api/members/lookup?email=${encodeURIComponent(f.first.email)}` }),
  directorySearch: (f) => ({ method: 'GET', path: `/api/directory/search?q=${encodeURIComponent(f.first.displayName.split(' ')[0]!)}&limit=5` }),
  reverseTransfer: (f) => ({ method: 'POST', path: `/api/transfers/${f.transferId}/reversal`, body: { reason: 'Logged twice by mistake' } }),
  feed: () => ({ method: 'GET', path: '/api/feed' }),
  feedDelivery: () => ({ method: 'GET', path: '/api/feed/delivery' }),
  // Without a webhook in settings the purchase's event is still waiting: asking to send it again is allowed and harmless.
  requeueParkedEvent: (f) => ({ method: 'POST', path: `/api/feed/parked/${f.eventId}/retry` }),
  getSettings: () => ({ method: 'GET', path: '/api/settings' }),
  putSettings: (f) => ({ method: 'PUT', path: '/api/settings', body: f.settings }),
  ledgerCheck: () => ({ method: 'GET', path: '/api/ledger/check' }),
  devUsers: () => ({ method: 'GET', path: '/api/dev/users' }),
  devToken: (f) => ({ method: 'POST', path: '/api/dev/token', body: { user: f.first.email } }),
};

/** Statuses an allowed call must not get either: the requests above are valid and aim at existing records. */
const NOT_EXPECTED_WHEN_ALLOWED = [400, 401, 403, 404, 405, 413, 415];

let api: TestApi;
let fixture: Fixture;
const [first, second] = EMPLOYEES as [DemoUser, DemoUser];
const callers: Record<RoleName, DemoUser | undefined> = { anonymous: undefined, employee: first, other: second, manager: MANAGER, it: IT };

beforeAll(async () => {
  api = await startTestApi();
  await api.register(first);
  await api.call(second, 'GET', '/api/me');
  await api.register(second);
  const usage = await api.call(first, 'POST', '/api/usage', { body: { service: 'simulation', credits: 5, date: today() } });
  expect(usage.status).toBe(201);
  const history = await api.call(first, 'GET', '/api/usage');
  const transfer = history.body.items.find((t: { postingId: string }) => t.postingId === usage.body.postingId);
  const purchase = await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 2 } });
  expect(purchase.status).toBe(201);
  const settings = await api.call(IT, 'GET', '/api/settings');
  const feed = await api.call(IT, 'GET', '/api/feed');
  expect(feed.body.items.length).toBeGreaterThan(0);
  fixture = { first, purchaseId: purchase.body.purchase.id, transferId: transfer.id, settings: settings.body, eventId: feed.body.items[0].id };
});

afterAll(async () => {
  await api?.stack.stop();
});

describe('route × role matrix', () => {
  it('has a row and a request for every route in ROUTES, and none for routes that are gone', () => {
    const routes = Object.keys(ROUTES).sort();
    const missing = routes.filter((name) => !EXPECTED[name] || !REQUESTS[name]);
    expect(missing, `routes without a row in the role table: ${missing.join(', ')}`).toEqual([]);
    expect(Object.keys(EXPECTED).sort()).toEqual(routes);
    expect(Object.keys(REQUESTS).sort()).toEqual(routes);
  });

  it('agrees with the route table: "anyone" routes allow everybody, role routes deny employees', () => {
    for (const [name, route] of Object.entries(ROUTES)) {
      const expected = EXPECTED[name];
      expect(expected, `no row for ${name}`).toBeDefined();
      if (route.access === 'anyone') expect(expected, name).toEqual(row(A, A, A, A, A));
      else expect(expected!.anonymous, name).toBe(D);
      if (typeof route.access === 'object') {
        expect([expected!.employee, expected!.other], name).toEqual([D, D]);
        expect(expected!.it === A, name).toBe(route.access.roles.includes('ITAdmin'));
      }
    }
  });

  for (const name of Object.keys(ROUTES) as RouteName[]) {
    it(`${ROUTES[name].method} ${ROUTES[name].path} (${name})`, async () => {
      const expected = EXPECTED[name];
      const request = REQUESTS[name];
      expect(expected, `route ${name} has no row in the role table: add one`).toBeDefined();
      expect(request, `route ${name} has no request in the role table: add one`).toBeDefined();
      const seen: Record<string, number> = {};
      for (const role of ROLES) {
        const { method, path, body } = request!(fixture, role);
        const answer = await api.call(callers[role], method, path, body === undefined ? {} : { body });
        seen[role] = answer.status;
        const label = `${role} ${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 300)}`;
        if (expected![role] === 'deny') {
          const status = role === 'anonymous' ? 401 : 403;
          expect(answer.status, label).toBe(status);
          expect(answer.body?.error?.code, label).toBe(status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN');
        } else {
          expect(NOT_EXPECTED_WHEN_ALLOWED, label).not.toContain(answer.status);
          expect(answer.status, label).toBeLessThan(500);
        }
      }
      expect(Object.keys(seen)).toEqual([...ROLES]);
    });
  }

  it('leaves the ledger consistent', async () => {
    const check = await api.ledgerCheck();
    expect(check).toEqual({ ok: true, violations: [] });
  });
});
