import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localGraphToken, staticTokenCredential } from '../../server/adapters/graph/graph-config.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_TENANT } from '../../server/local/demo-users.js';
import type { GraphStandIn } from '../../server/local/graph-standin.js';
import { startGraphStandIn } from '../../server/local/graph-standin.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, TEST_RATE_LIMIT, startTestApi } from '../support/api.js';

/**
 * A usage import tells the owner of self-logged usage it did not confirm, over HTTP against Azurite, the
 * Graph notifier pointed at the Graph stand-in (which records the Teams activity notifications it is sent).
 */
let graph: GraphStandIn;
let api: TestApi;
const [avery, blake, casey] = EMPLOYEES as [DemoUser, DemoUser, DemoUser];
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

function upload(body: string, fileName: string) {
  return api.call(MANAGER, 'POST', `/api/usage/imports?fileName=${encodeURIComponent(fileName)}`, { rawBody: body, headers: { 'content-type': 'text/csv' } });
}

/** Commits the import and waits for its job to end, notifications included (they go out once it is committed). */
const commitAndWait = (id: string) => api.commitImport(MANAGER, id);

async function logUsage(user: DemoUser, service: string, credits: number, date: string) {
  const logged = await api.call(user, 'POST', '/api/usage', { body: { service, credits, date } });
  expect(logged.status, JSON.stringify(logged.body)).toBe(201);
}

const activities = () => graph.sent().filter((s) => s.kind === 'activityNotification');

beforeAll(async () => {
  graph = await startGraphStandIn();
  const access = { baseUrl: graph.url, credential: staticTokenCredential(localGraphToken(DEMO_TENANT)), tokenPerTenant: false, timeoutMs: 3_000, cooldownMs: 500, retryDelaySeconds: 0 };
  api = await startTestApi({ fixedRateLimit: TEST_RATE_LIMIT, graph: access });
  for (const user of [avery, blake, casey]) await api.register(user);
  // Teams notifications are opt-in: this tenant's IT switched them on.
  const settings = (await api.call(IT, 'GET', '/api/settings')).body;
  expect((await api.call(IT, 'PUT', '/api/settings', { body: { ...settings, notifications: { ...settings.notifications, teams: true } } })).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await api?.stack.stop();
  await graph?.stop();
});
beforeEach(() => graph.reset());

describe('the owner of self-logged usage an import did not confirm', () => {
  it('gets one Teams activity notification for the import, opening their history; the person whose usage was confirmed gets none', async () => {
    // Avery: a simulation the export confirms, and two renderings it does not (5 + 2.5 credits). Blake: a simulation it confirms.
    await logUsage(avery, 'simulation', 10, daysAgo(5));
    await logUsage(avery, 'cloud_rendering', 5, daysAgo(4));
    await logUsage(avery, 'cloud_rendering', 2.5, daysAgo(6));
    await logUsage(blake, 'simulation', 4, daysAgo(4));
    graph.reset();

    const file = [
      'Date,Email,Service,Cloud Credits Used',
      `${daysAgo(4)},${avery.email},Simulation,12`,
      `${daysAgo(6)},${avery.email},Generative Design,1`,
      `${daysAgo(4)},${blake.email},Simulation,4`,
      '',
    ].join('\n');
    const uploaded = await upload(file, 'unconfirmed.csv');
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    const done = await commitAndWait(uploaded.body.id);
    expect(done.state, JSON.stringify(done.error)).toBe('committed');
    expect(done.result).toMatchObject({ posted: 3, settled: 2, unconfirmedProvisional: 2 });

    expect(activities()).toEqual([
      {
        kind: 'activityNotification',
        userId: avery.id,
        at: expect.any(String),
        body: {
          topic: { source: 'text', value: 'Credit Desk', webUrl: 'http://localhost:5173/#/history' },
          activityType: 'usageUnconfirmed',
          previewText: { content: `Autodesk’s usage export for ${daysAgo(6)} to ${daysAgo(4)} does not show 2 entries you logged (7.5 credits)` },
          templateParameters: [
            { name: 'period', value: `${daysAgo(6)} to ${daysAgo(4)}` },
            { name: 'entries', value: '2 entries' },
            { name: 'amount', value: '7.5 credits' },
          ],
        },
      },
    ]);
    expect(graph.sent().filter((s) => s.userId === blake.id)).toEqual([]);
    expect(graph.sent()).toHaveLength(1);
  });

  it('commits all the same when Graph is down', async () => {
    await logUsage(casey, 'cloud_rendering', 3, daysAgo(3));
    graph.reset();
    graph.failFor({ status: 503 });
    const uploaded = await upload(`Date,Email,Service,Cloud Credits Used\n${daysAgo(3)},${casey.email},Simulation,2\n`, 'graph-down.csv');
    const done = await commitAndWait(uploaded.body.id);
    expect(done.state, JSON.stringify(done.error)).toBe('committed');
    expect(done.result).toMatchObject({ posted: 1, unconfirmedProvisional: 1 });
    // The notifier tried (and retried) Teams for Casey only, then gave up without failing the import.
    const tried = graph.requests().filter((r) => r.path.endsWith('/teamwork/sendActivityNotification'));
    expect(tried.length).toBeGreaterThan(0);
    expect(new Set(tried.map((r) => [r.path, r.status].join(' ')))).toEqual(new Set([`/v1.0/users/${casey.id}/teamwork/sendActivityNotification 503`]));
    expect(graph.sent()).toEqual([]);
  });

  it("is not notified when the tenant's settings turn notifications off", async () => {
    const settings = (await api.call(IT, 'GET', '/api/settings')).body;
    const off = await api.call(IT, 'PUT', '/api/settings', { body: { ...settings, notifications: { teams: false, mail: false, mailSender: null } } });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    try {
      await logUsage(casey, 'generative_design', 6, daysAgo(2));
      graph.reset();
      const uploaded = await upload(`Date,Email,Service,Cloud Credits Used\n${daysAgo(2)},${casey.email},Simulation,1\n`, 'off.csv');
      const done = await commitAndWait(uploaded.body.id);
      expect(done.result).toMatchObject({ posted: 1, unconfirmedProvisional: 1 });
      // IT's feed still says so; Casey hears nothing, and Graph is not called.
      const feed = (await api.call(IT, 'GET', '/api/feed?limit=20')).body.items as { kind: string; memberId?: string; message: string }[];
      expect(feed.find((e) => e.kind === 'provisional_unconfirmed' && e.message.includes('off.csv'))?.memberId).toBe(casey.id);
      expect(graph.sent()).toEqual([]);
      expect(graph.requests().filter((r) => r.path.includes('/teamwork/') || r.path.endsWith('/sendMail'))).toEqual([]);
    } finally {
      expect((await api.call(IT, 'PUT', '/api/settings', { body: settings })).status).toBe(200);
    }
  });
});
