/**
 * The route × role matrix (issue 8) as a runner: tests/integration/api-roles.test.ts runs it route by
 * route, the chaos script runs it whole for `authz_cases`, `authz_failures` and `authz_field_leaks`.
 *
 * Every route in ROUTES needs a row here (a new route is a failure until it gets one). "deny" is 401 for
 * anonymous callers and 403 for everyone else; "allow" is any other status. Every answer that comes back
 * 2xx is also searched, deep, for what the role must not see (FORBIDDEN, issue 15).
 *
 * - anonymous: no token at all
 * - employee: the first employee, on their own records
 * - other: a second employee, acting on the first employee's records where the route has records
 * - manager: an account manager, acting on the first employee's records
 * - it: IT, acting on the first employee's records
 */
import type { RouteName } from '../../src/contract/index.js';
import { PublicPolicy, ROUTES, Settings } from '../../src/contract/index.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { ApiAnswer, TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER } from '../support/api.js';
import { FakeAps } from '../support/fake-aps.js';

export type Verdict = 'allow' | 'deny';
export const AUTHZ_ROLES = ['anonymous', 'employee', 'other', 'manager', 'it'] as const;
export type AuthzRole = (typeof AUTHZ_ROLES)[number];
export type AuthzRow = Record<AuthzRole, Verdict>;

const A: Verdict = 'allow';
const D: Verdict = 'deny';
export const row = (anonymous: Verdict, employee: Verdict, other: Verdict, manager: Verdict, it: Verdict): AuthzRow => ({ anonymous, employee, other, manager, it });
export const ALLOW_ALL = row(A, A, A, A, A);

//                                       anonymous employee other manager it
export const EXPECTED: Record<string, AuthzRow> = {
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
  placeHold: /*                  */ row(D, A, D, A, D), // with memberId: account managers only
  listHolds: /*                  */ row(D, A, D, A, A),
  voidHold: /*                   */ row(D, A, D, A, D), // the holder, or an account manager (who then gets 409: already voided)
  pool: /*                       */ row(D, A, A, A, A),
  poolForecast: /*               */ row(D, A, A, A, A), // no names in it
  createPurchase: /*             */ row(D, D, D, A, A),
  listPurchases: /*              */ row(D, D, D, A, A),
  purchaseEvent: /*              */ row(D, D, D, A, A),
  listMembers: /*                */ row(D, D, D, A, A),
  memberLookup: /*               */ row(D, D, D, A, A),
  directorySearch: /*            */ row(D, D, D, A, A),
  uploadImport: /*               */ row(D, D, D, A, A),
  listImports: /*                */ row(D, D, D, A, A),
  getImport: /*                  */ row(D, D, D, A, A),
  mapImportColumns: /*           */ row(D, D, D, A, A),
  linkImportPeople: /*           */ row(D, D, D, A, A),
  commitImport: /*               */ row(D, D, D, A, A),
  importReport: /*               */ row(D, D, D, A, A),
  usageSources: /*               */ row(D, D, D, A, A), // no secret in it: the status of each connected source
  pullUsageSource: /*            */ row(D, D, D, D, A), // with nothing connected IT gets 409, changing nothing
  reverseTransfer: /*            */ row(D, D, D, A, A),
  auditTrail: /*                 */ row(D, D, D, A, A),
  chargebackReport: /*           */ row(D, D, D, A, A),
  feed: /*                       */ row(D, A, A, A, A),
  feedDelivery: /*               */ row(D, D, D, D, A),
  requeueParkedEvent: /*         */ row(D, D, D, D, A),
  getPolicy: /*                  */ row(D, A, A, A, A),
  getSettings: /*                */ row(D, D, D, D, A), // the webhook URL carries its signature
  putSettings: /*                */ row(D, D, D, D, A),
  ledgerCheck: /*                */ row(D, D, D, D, A),
  usageConnections: /*           */ row(D, D, D, D, A),
  connectUsageSource: /*         */ row(D, D, D, D, A), // the matrix's tenant counts Cloud Credits: IT gets 409, changing nothing
  autodeskCallback: /*           */ row(A, A, A, A, A), // no token: the state it carries names the consent (a forged one is refused, 410)
  putUsageSourceClient: /*       */ row(D, D, D, D, A), // 409 too (Autodesk's usage APIs count Flex tokens)
  disconnectUsageSource: /*      */ row(D, D, D, D, A),
  setupReadiness: /*             */ row(D, D, D, D, A), // grant commands and IT's setup state
  devUsers: /*                   */ row(A, A, A, A, A),
  devToken: /*                   */ row(A, A, A, A, A),
};

/** The records the requests aim at, all the first employee's (see prepareAuthzFixtures). */
export interface AuthzFixtures {
  first: DemoUser;
  second: DemoUser;
  purchaseId: string;
  transferId: string;
  settings: unknown;
  eventId: string;
  /** A usage import of the first employee's usage, with one person no member matches. */
  importId: string;
  /** An open hold of the first employee's. */
  holdId: string;
}

export interface AuthzRequest {
  method: string;
  path: string;
  body?: unknown;
  /** A file body (uploads), sent as it is with its content type. */
  file?: { text: string; contentType: string };
}

/** A tiny usage export: one row of the first employee's, one of somebody no member matches. */
export const authzExport = (first: DemoUser) => `Date,Email,Service,Cloud Credits Used\n${today()},${first.email},Simulation,1\n${today()},nobody.known@example.org,Simulation,1\n`;

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** How each route is called: the `role` says whose records the call targets (always the first employee's where there are records). */
export const REQUESTS: Record<string, (f: AuthzFixtures, role: AuthzRole) => AuthzRequest> = {
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
  placeHold: (f, role) => ({ method: 'POST', path: '/api/holds', body: { service: 'simulation', credits: 1, ...(role === 'employee' ? {} : { memberId: f.first.id }) } }),
  listHolds: (f) => ({ method: 'GET', path: `/api/holds?memberId=${f.first.id}` }),
  voidHold: (f) => ({ method: 'POST', path: `/api/holds/${f.holdId}/void` }),
  pool: () => ({ method: 'GET', path: '/api/pool' }),
  poolForecast: () => ({ method: 'GET', path: '/api/pool/forecast?horizonDays=30' }),
  createPurchase: () => ({ method: 'POST', path: '/api/purchases', body: { blocks: 1 } }),
  listPurchases: () => ({ method: 'GET', path: '/api/purchases' }),
  purchaseEvent: (f) => ({ method: 'POST', path: `/api/purchases/${f.purchaseId}/events`, body: { type: 'quote_requested' } }),
  listMembers: () => ({ method: 'GET', path: '/api/members' }),
  memberLookup: (f) => ({ method: 'GET', path: `/api/members/lookup?email=${encodeURIComponent(f.first.email)}` }),
  directorySearch: (f) => ({ method: 'GET', path: `/api/directory/search?q=${encodeURIComponent(f.first.displayName.split(' ')[0]!)}&limit=5` }),
  uploadImport: (f) => ({ method: 'POST', path: '/api/usage/imports?fileName=authz.csv', file: { text: authzExport(f.first), contentType: 'text/csv' } }),
  listImports: () => ({ method: 'GET', path: '/api/usage/imports' }),
  getImport: (f) => ({ method: 'GET', path: `/api/usage/imports/${f.importId}` }),
  mapImportColumns: (f) => ({ method: 'PUT', path: `/api/usage/imports/${f.importId}/mapping`, body: { mapping: {} } }),
  linkImportPeople: (f) => ({ method: 'PUT', path: `/api/usage/imports/${f.importId}/links`, body: { links: [{ person: 'nobody.known@example.org', resolution: { kind: 'skip' } }] } }),
  // Once linked, the import commits (200); a second commit answers with the import as it is.
  commitImport: (f) => ({ method: 'POST', path: `/api/usage/imports/${f.importId}/commit` }),
  importReport: (f) => ({ method: 'GET', path: `/api/usage/imports/${f.importId}/report` }),
  usageSources: () => ({ method: 'GET', path: '/api/usage/sources' }),
  pullUsageSource: () => ({ method: 'POST', path: '/api/usage/sources/token_flex/pull' }),
  reverseTransfer: (f) => ({ method: 'POST', path: `/api/transfers/${f.transferId}/reversal`, body: { reason: 'Logged twice by mistake' } }),
  auditTrail: () => ({ method: 'GET', path: '/api/audit?limit=20' }),
  chargebackReport: () => ({ method: 'GET', path: `/api/reports/chargeback?from=${today().slice(0, 8)}01&to=${today()}&groupBy=office` }),
  feed: () => ({ method: 'GET', path: '/api/feed' }),
  feedDelivery: () => ({ method: 'GET', path: '/api/feed/delivery' }),
  // Without a webhook in settings the purchase's event is still waiting: asking to send it again is allowed and harmless.
  requeueParkedEvent: (f) => ({ method: 'POST', path: `/api/feed/parked/${f.eventId}/retry` }),
  getPolicy: () => ({ method: 'GET', path: '/api/policy' }),
  getSettings: () => ({ method: 'GET', path: '/api/settings' }),
  putSettings: (f) => ({ method: 'PUT', path: '/api/settings', body: f.settings }),
  ledgerCheck: () => ({ method: 'GET', path: '/api/ledger/check' }),
  usageConnections: () => ({ method: 'GET', path: '/api/usage/sources/connections' }),
  connectUsageSource: () => ({ method: 'POST', path: '/api/usage/sources/token_flex/connect' }),
  autodeskCallback: () => ({ method: 'GET', path: '/api/usage/sources/autodesk/callback?code=authz&state=authz.forged' }),
  putUsageSourceClient: () => ({ method: 'PUT', path: '/api/usage/sources/usage_insights/client', body: { clientId: 'authzClientId01', clientSecret: AUTHZ_CLIENT_SECRET } }),
  disconnectUsageSource: () => ({ method: 'DELETE', path: '/api/usage/sources/usage_insights' }),
  setupReadiness: () => ({ method: 'GET', path: '/api/setup/readiness' }),
  devUsers: () => ({ method: 'GET', path: '/api/dev/users' }),
  devToken: (f) => ({ method: 'POST', path: '/api/dev/token', body: { user: f.first.email } }),
};

/** Statuses an allowed call must not get either: the requests above are valid and aim at existing records. */
export const NOT_EXPECTED_WHEN_ALLOWED = [400, 401, 403, 404, 405, 413, 415];

/** What a role must not find in an answer: field names anywhere in it, and text in any of its strings (any case). */
export interface Forbidden {
  keys: readonly string[];
  text: readonly string[];
}

/** The settings only IT reads: every field of Settings that the policy everyone reads leaves out. */
export const IT_ONLY_SETTINGS = Object.keys(Settings.shape).filter((key) => !(key in PublicPolicy.shape));
/** The client secret the matrix sends (2-legged): no answer to anyone may carry it. */
export const AUTHZ_CLIENT_SECRET = 'authz-client-secret-7Qm2';
/** The APS the matrix's stack connects to: it takes the matrix's 2-legged client. */
export const authzAps = () => new FakeAps({ clientId: 'authzClientId01', clientSecret: AUTHZ_CLIENT_SECRET });
/** Secrets are written, never read back, by anyone: these fields are in no answer. */
const SECRETS = ['clientSecret', 'refreshToken', 'accessToken', 'codeVerifier'];
/** Prices are for account managers and IT. */
const PRICES = ['price', 'currency', 'poolCost'];
const person = (user: DemoUser) => [user.id, user.email, user.displayName];

/**
 * What each role must not see: IT's settings (all but IT), prices (employees), and the other employee's id,
 * address and name (the account managers who act on one's records, and whose contacts the policy lists,
 * are not secret from them). The matrix's employees are `first` and `second`.
 */
export const FORBIDDEN: Record<AuthzRole, (f: AuthzFixtures) => Forbidden> = {
  anonymous: (f) => ({ keys: [...IT_ONLY_SETTINGS, ...PRICES, ...SECRETS], text: [...person(f.first), ...person(f.second), AUTHZ_CLIENT_SECRET] }),
  employee: (f) => ({ keys: [...IT_ONLY_SETTINGS, ...PRICES, ...SECRETS], text: [...person(f.second), AUTHZ_CLIENT_SECRET] }),
  other: (f) => ({ keys: [...IT_ONLY_SETTINGS, ...PRICES, ...SECRETS], text: [...person(f.first), AUTHZ_CLIENT_SECRET] }),
  manager: () => ({ keys: [...IT_ONLY_SETTINGS, ...SECRETS], text: [AUTHZ_CLIENT_SECRET] }),
  it: () => ({ keys: SECRETS, text: [AUTHZ_CLIENT_SECRET] }),
};

/** Answers that describe the API or serve dev mode rather than hold records: not searched. */
const NOT_RECORDS: ReadonlySet<string> = new Set(['openapi', 'devUsers', 'devToken']);

/** Where in `value` a forbidden field or text shows, as paths (`items[2].message`); empty when nowhere. */
export function findForbidden(value: unknown, forbidden: Forbidden, path = '$'): string[] {
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    return forbidden.text.filter((t) => lower.includes(t.toLowerCase())).map((t) => `${path} shows "${t}"`);
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => findForbidden(item, forbidden, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(forbidden.keys.includes(key) ? [`${path}.${key} is there`] : []),
    ...findForbidden(item, forbidden, `${path}.${key}`),
  ]);
}

/** Routes of ROUTES without a row or a request, and rows or requests for routes that are gone. */
export function matrixGaps(): { missing: string[]; gone: string[] } {
  const routes = Object.keys(ROUTES);
  return {
    missing: routes.filter((name) => !EXPECTED[name] || !REQUESTS[name]).sort(),
    gone: [...new Set([...Object.keys(EXPECTED), ...Object.keys(REQUESTS)])].filter((name) => !(name in ROUTES)).sort(),
  };
}

/**
 * The records the matrix acts on: two registered employees, a usage transfer of the first, a purchase,
 * the settings as they are, and a feed event. For the search of what each role must not see: a pool lot
 * with its price, and events naming the second employee (draws on the pool, and self-logged usage that
 * an import did not confirm). Needs a stack whose rate limit lets a test go fast.
 */
export async function prepareAuthzFixtures(api: TestApi): Promise<AuthzFixtures> {
  const [first, second] = EMPLOYEES as [DemoUser, DemoUser];
  await api.register(first);
  await api.call(second, 'GET', '/api/me');
  await api.register(second);
  await api.fillPool(1);
  await expectCreated(api.call(second, 'POST', '/api/usage', { body: { service: 'simulation', credits: 101, date: today() } }), 'usage drawing on the pool');
  await expectCreated(api.call(second, 'POST', '/api/usage', { body: { service: 'cloud_rendering', credits: 2, date: daysAgo(3) } }), 'usage to leave unconfirmed');
  const unconfirming = `Date,Email,Service,Cloud Credits Used\n${daysAgo(3)},${second.email},Simulation,1\n`;
  const imported = await expectCreated(api.call(MANAGER, 'POST', '/api/usage/imports?fileName=authz-unconfirmed.csv', { rawBody: unconfirming, headers: { 'content-type': 'text/csv' } }), 'upload');
  const committed = await api.commitImport(MANAGER, imported.body.id);
  if (committed.result?.unconfirmedProvisional !== 1) throw new Error(`authz fixtures: the import left ${JSON.stringify(committed.result)} unconfirmed`);
  const usage = await api.call(first, 'POST', '/api/usage', { body: { service: 'simulation', credits: 5, date: today() } });
  if (usage.status !== 201) throw new Error(`authz fixtures: usage answered ${usage.status} ${JSON.stringify(usage.body)}`);
  const history = await api.call(first, 'GET', '/api/usage');
  const transfer = (history.body.items as { id: string; postingId: string }[]).find((t) => t.postingId === usage.body.postingId);
  const purchase = await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 2 } });
  if (purchase.status !== 201) throw new Error(`authz fixtures: purchase answered ${purchase.status} ${JSON.stringify(purchase.body)}`);
  const settings = await api.call(IT, 'GET', '/api/settings');
  const feed = await api.call(IT, 'GET', '/api/feed');
  const event = (feed.body.items as { id: string }[])[0];
  if (!transfer || !event) throw new Error('authz fixtures: no transfer or no feed event to aim at');
  // The hold the void is aimed at, after two cloud rendering holds that the matrix's two usages (cloud
  // rendering) settle first, so the first void finds it open.
  for (const credits of [1, 1]) await api.call(first, 'POST', '/api/holds', { body: { service: 'cloud_rendering', credits } });
  const hold = await api.call(first, 'POST', '/api/holds', { body: { service: 'generative_design', credits: 1 } });
  if (hold.status !== 201) throw new Error(`authz fixtures: hold answered ${hold.status} ${JSON.stringify(hold.body)}`);
  const upload = await api.call(MANAGER, 'POST', '/api/usage/imports?fileName=authz-fixture.csv', { rawBody: authzExport(first), headers: { 'content-type': 'text/csv' } });
  if (upload.status !== 201) throw new Error(`authz fixtures: upload answered ${upload.status} ${JSON.stringify(upload.body)}`);
  return { first, second, purchaseId: purchase.body.purchase.id, transferId: transfer.id, settings: settings.body, eventId: event.id, importId: upload.body.id, holdId: hold.body.hold.id };
}

async function expectCreated(answer: Promise<ApiAnswer>, what: string): Promise<ApiAnswer> {
  const done = await answer;
  if (done.status !== 201) throw new Error(`authz fixtures: ${what} answered ${done.status} ${JSON.stringify(done.body)}`);
  return done;
}

export interface AuthzFailure {
  route: string;
  role: AuthzRole | '-';
  expected: Verdict | 'row';
  status: number;
  /** `role METHOD path → status body`, or why the route could not be checked. */
  label: string;
  reason: string;
}

export interface AuthzResult {
  /** Calls made (route × role), plus one per route without a row. */
  authz_cases: number;
  authz_failures: number;
  /** 2xx answers searched for what the role must not see, and those in which something showed. */
  authz_field_checks: number;
  authz_field_leaks: number;
  failures: AuthzFailure[];
  /** Status each role got, per route. */
  seen: Record<string, Partial<Record<AuthzRole, number>>>;
}

/**
 * Calls every route (or `options.routes`) as each of the five roles, in that order, and compares with the
 * matrix. A route without a row or a request counts as one failed case.
 */
export async function runAuthzMatrix(
  api: TestApi,
  fixtures: AuthzFixtures,
  options: { routes?: readonly RouteName[]; onProgress?: (done: number, total: number) => void } = {},
): Promise<AuthzResult> {
  const callers: Record<AuthzRole, DemoUser | undefined> = { anonymous: undefined, employee: fixtures.first, other: fixtures.second, manager: MANAGER, it: IT };
  const names = options.routes ?? (Object.keys(ROUTES) as RouteName[]);
  const result: AuthzResult = { authz_cases: 0, authz_failures: 0, authz_field_checks: 0, authz_field_leaks: 0, failures: [], seen: {} };
  const fail = (failure: AuthzFailure) => {
    result.authz_failures++;
    result.failures.push(failure);
  };
  for (const [index, name] of names.entries()) {
    const expected = EXPECTED[name];
    const request = REQUESTS[name];
    if (!expected || !request) {
      result.authz_cases++;
      fail({ route: name, role: '-', expected: 'row', status: 0, label: `route ${name} has no ${expected ? 'request' : 'row'} in the role table: add one`, reason: 'no row' });
      continue;
    }
    const seen: Partial<Record<AuthzRole, number>> = {};
    for (const role of AUTHZ_ROLES) {
      const { method, path, body, file } = request(fixtures, role);
      const answer = await api.call(callers[role], method, path, file ? { rawBody: file.text, headers: { 'content-type': file.contentType } } : body === undefined ? {} : { body });
      result.authz_cases++;
      seen[role] = answer.status;
      const label = `${role} ${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 300)}`;
      const failure = { route: name, role, expected: expected[role], status: answer.status, label };
      if (expected[role] === 'deny') {
        const status = role === 'anonymous' ? 401 : 403;
        const code = status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN';
        if (answer.status !== status) fail({ ...failure, reason: `expected ${status}` });
        else if (answer.body?.error?.code !== code) fail({ ...failure, reason: `expected error code ${code}` });
      } else if (NOT_EXPECTED_WHEN_ALLOWED.includes(answer.status) || answer.status >= 500) {
        fail({ ...failure, reason: 'allowed call refused or failed' });
      }
      // Whatever the verdict, an answer that came back is searched: a leak is a leak.
      if (answer.status >= 200 && answer.status < 300 && !NOT_RECORDS.has(name)) {
        result.authz_field_checks++;
        const leaks = findForbidden(answer.body, FORBIDDEN[role](fixtures));
        if (leaks.length > 0) {
          result.authz_field_leaks++;
          result.failures.push({ ...failure, label: `${role} ${method} ${path}: ${leaks.slice(0, 10).join('; ')}`, reason: 'field leak' });
        }
      }
    }
    result.seen[name] = seen;
    options.onProgress?.(index + 1, names.length);
  }
  return result;
}
