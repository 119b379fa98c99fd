/**
 * GET /api/setup/readiness over HTTP against Azurite, with the backend's Graph identity pointed at the Graph
 * stand-in. The identity's token carries the application permissions a test grants (`granted`), and the
 * stand-in refuses what is not granted with Graph's 403 (or the 401 of a tenant without message trace's
 * service principal), as Microsoft Graph does. A fresh tenant has only the directory look-up switched on, and
 * then Graph is asked nothing for the opt-in features, on any route.
 */
import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReadinessResponse } from '../../src/contract/index.js';
import { localGraphToken } from '../../server/adapters/graph/graph-config.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_TENANT } from '../../server/local/demo-users.js';
import type { GraphStandIn } from '../../server/local/graph-standin.js';
import { startGraphStandIn } from '../../server/local/graph-standin.js';
import { newMember } from '../../src/core/ledger/index.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, TEST_RATE_LIMIT, startTestApi } from '../support/api.js';

let graph: GraphStandIn;
let noTracePrincipal: GraphStandIn;
let api: TestApi;
let apiWithoutTracePrincipal: TestApi;
let granted: string[] = ['User.Read.All'];
const [stuckPerson] = EMPLOYEES.slice(8) as [DemoUser];
const DAY = 86_400_000;

/** The backend's identity: its token carries exactly the permissions granted now (Graph reads them from `roles`). */
const identity: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token: localGraphToken(DEMO_TENANT, undefined, granted), expiresOnTimestamp: Date.now() + 3_600_000, tokenType: 'Bearer' }),
};
const accessTo = (standIn: GraphStandIn) => ({ baseUrl: standIn.url, credential: identity, tokenPerTenant: false, timeoutMs: 3_000, cooldownMs: 0, retryDelaySeconds: 0 });

async function readiness(on: TestApi = api): Promise<ReadinessResponse> {
  const answer = await on.call(IT, 'GET', '/api/setup/readiness');
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as ReadinessResponse;
}
const itemOf = (page: ReadinessResponse, id: string) => {
  const item = page.items.find((i) => i.id === id);
  if (!item) throw new Error(`no ${id} in ${page.items.map((i) => i.id).join(', ')}`);
  return item;
};

async function changeSettings(on: TestApi, change: (settings: Record<string, any>) => Record<string, unknown>): Promise<void> {
  const settings = (await on.call(IT, 'GET', '/api/settings')).body;
  const put = await on.call(IT, 'PUT', '/api/settings', { body: change(settings) });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
}

/** Graph requests to the opt-in features' endpoints: message trace, Teams activity, sendMail. */
const optInCalls = (standIn: GraphStandIn = graph) =>
  standIn.requests().filter((r) => /\/admin\/exchange\/tracing\/messagetraces$|\/teamwork\/sendactivitynotification$|\/sendmail$/i.test(r.path));

beforeAll(async () => {
  graph = await startGraphStandIn();
  noTracePrincipal = await startGraphStandIn({ messageTraceServicePrincipal: false });
  api = await startTestApi({ fixedRateLimit: TEST_RATE_LIMIT, graph: accessTo(graph) });
  apiWithoutTracePrincipal = await startTestApi({ fixedRateLimit: TEST_RATE_LIMIT, graph: accessTo(noTracePrincipal) });
  // Someone whose Autodesk account was created a week ago and who never registered: stuck.
  const since = new Date(Date.now() - 7 * DAY).toISOString();
  const member = newMember({ id: stuckPerson.id, email: stuckPerson.email, displayName: stuckPerson.displayName, now: since });
  await api.stack.store.ensureMember(DEMO_TENANT, { ...member, registration: { state: 'account_created', since, history: [] } });
}, 60_000);
afterAll(async () => {
  await api?.stack.stop();
  await apiWithoutTracePrincipal?.stack.stop();
  await graph?.stop();
  await noTracePrincipal?.stop();
});
beforeEach(() => {
  granted = ['User.Read.All'];
  graph.reset();
  noTracePrincipal.reset();
});

describe('a fresh tenant: the directory look-up is the only Graph feature', () => {
  it('shows the API, the sign-in and the directory ready, every opt-in feature off, and the channel and account managers to do', async () => {
    const page = await readiness();
    expect(page.items.map((i) => [i.id, i.status])).toEqual([
      ['api', 'ready'],
      ['identity', 'ready'],
      ['feature:directory', 'ready'],
      ['feature:messageTrace', 'off'],
      ['feature:teamsNotifications', 'off'],
      ['feature:mailNotifications', 'off'],
      ['feature:mailboxHelper', 'off'],
      ['channel', 'not_set_up'],
      ['accountManagers', 'not_set_up'],
      ['autodesk', 'off'],
    ]);
    expect(page.needsAttention).toBe(true);
    expect(itemOf(page, 'identity').detail).toContain(IT.email);
    expect(itemOf(page, 'channel').fix).toMatch(/Workflows/);
    // Off says what the feature would add and the command that grants it, without asking Graph.
    expect(itemOf(page, 'feature:messageTrace').command).toContain("appRoles[?value=='ExchangeMessageTrace.Read.All']");
    // The directory was asked one row with its own permission (besides looking IT up on first sight); nothing else was asked.
    expect(graph.requests().filter((r) => r.path === '/v1.0/users').map((r) => [r.method, r.query.$top, r.query.$select, r.status])).toEqual([['GET', '1', 'id', 200]]);
    expect(graph.requests().filter((r) => !r.path.startsWith('/v1.0/users'))).toEqual([]);
  });

  it('never calls the Graph endpoints of the opt-in features, whatever people do', async () => {
    // Stuck registrations (message trace), an account created and a request raised (notifications), the readiness page.
    const stuck = await api.call(MANAGER, 'GET', '/api/registrations/stuck');
    expect(stuck.status).toBe(200);
    expect(stuck.body.items.map((i: { member: { id: string }; trace: unknown }) => [i.member.id, i.trace])).toEqual([[stuckPerson.id, { kind: 'off' }]]);
    const [asking] = EMPLOYEES.slice(9) as [DemoUser];
    expect((await api.call(asking, 'POST', '/api/registrations', { body: {} })).status).toBe(201);
    expect((await api.call(MANAGER, 'POST', `/api/registrations/${asking.id}/events`, { body: { type: 'account_created' } })).status).toBe(200);
    await readiness();
    // Notifications are sent before the registration step answers, so everything that would have gone out has.
    expect(optInCalls()).toEqual([]);
    expect(graph.sent()).toEqual([]);
  });

  it('says the directory look-up is not set up, with the fix and the command, when User.Read.All is not granted (Graph 403)', async () => {
    granted = [];
    const directory = itemOf(await readiness(), 'feature:directory');
    expect(directory).toMatchObject({ status: 'not_set_up', detail: expect.stringMatching(/^Graph refused \(403\): Authorization_RequestDenied: Insufficient privileges/) });
    expect(directory.fix).toMatch(/User\.Read\.All \(application\)/);
    expect(directory.command).toContain("appRoles[?value=='User.Read.All']");
  });
});

describe('a switched-on feature', () => {
  it('message trace: red with the fix when the permission is missing (403), green once granted', async () => {
    await changeSettings(api, (s) => ({ ...s, features: { ...s.features, messageTrace: true } }));
    try {
      const missing = itemOf(await readiness(), 'feature:messageTrace');
      expect(missing).toMatchObject({ status: 'not_set_up', detail: expect.stringContaining('(403)') });
      expect(missing.fix).toContain('8bd644d1-64a1-4d4b-ae52-2e0cbf64e373');
      expect(missing.command).toContain('az ad sp create --id 8bd644d1-64a1-4d4b-ae52-2e0cbf64e373');

      granted = ['User.Read.All', 'ExchangeMessageTrace.Read.All'];
      expect(itemOf(await readiness(), 'feature:messageTrace').status).toBe('ready');
      // One question of the last hour, one row.
      const asked = optInCalls();
      expect(asked.map((r) => [r.query.$top, r.status])).toEqual([
        ['1', 403],
        ['1', 200],
      ]);
      expect(asked[1]!.query.$filter).toMatch(/^receivedDateTime ge \S+ and receivedDateTime le \S+$/);
    } finally {
      await changeSettings(api, (s) => ({ ...s, features: { ...s.features, messageTrace: false } }));
    }
  });

  it("message trace: red (401) while the tenant lacks message trace's service principal, even with the permission", async () => {
    granted = ['User.Read.All', 'ExchangeMessageTrace.Read.All'];
    await changeSettings(apiWithoutTracePrincipal, (s) => ({ ...s, features: { ...s.features, messageTrace: true } }));
    const item = itemOf(await readiness(apiWithoutTracePrincipal), 'feature:messageTrace');
    expect(item).toMatchObject({ status: 'not_set_up', detail: expect.stringContaining('(401)') });
  });

  it("Teams and mail notifications: read from the token's roles, with Mail.Send scoped by Exchange RBAC for Applications", async () => {
    await changeSettings(api, (s) => ({ ...s, notifications: { teams: true, mail: true, mailSender: 'credit.desk@contoso.example' } }));
    try {
      granted = ['User.Read.All', 'TeamsActivity.Send'];
      let page = await readiness();
      expect(itemOf(page, 'feature:teamsNotifications').status).toBe('ready');
      // No Mail.Send in Entra ID: right when Exchange grants it for the sender only, which the backend cannot see.
      const mail = itemOf(page, 'feature:mailNotifications');
      expect(mail.status).toBe('unknown');
      expect(mail.fix).toContain('Test-ServicePrincipalAuthorization');
      expect(mail.command).toContain('New-ManagementRoleAssignment -App $CLIENT_ID -Role "Application Mail.Send" -CustomResourceScope');

      granted = ['User.Read.All', 'Mail.Send'];
      page = await readiness();
      expect(itemOf(page, 'feature:mailNotifications')).toMatchObject({ status: 'ready', fix: expect.stringMatching(/Narrow it to the sender mailbox/) });
      expect(itemOf(page, 'feature:teamsNotifications').status).toBe('unknown');
      // Checked without sending anything.
      expect(optInCalls()).toEqual([]);
    } finally {
      await changeSettings(api, (s) => ({ ...s, notifications: { teams: false, mail: false, mailSender: null } }));
    }
  });
});

describe('who may see it', () => {
  it('is for IT only', async () => {
    expect((await api.call(MANAGER, 'GET', '/api/setup/readiness')).status).toBe(403);
  });
});
