import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NotificationSettings } from '../../src/core/policy/index.js';
import { LOCAL_APP_ROLES, localGraphToken, staticTokenCredential } from '../../server/adapters/graph/graph-config.js';
import type { GraphNotifierOptions } from '../../server/adapters/graph/graph-notifier.js';
import { GraphNotifier } from '../../server/adapters/graph/graph-notifier.js';
import { tabLink } from '../../src/contract/tab-link.js';
import { DEMO_TENANT, DEMO_USERS } from '../../server/local/demo-users.js';
import type { GraphStandIn } from '../../server/local/graph-standin.js';
import { startGraphStandIn } from '../../server/local/graph-standin.js';
import type { Notification } from '../../server/ports/notifier.js';
import { buildManifest } from '../../manifest/build-manifest.js';
import { goodSettings } from '../unit/manifest/fixtures.js';

/** The Graph notifier against the Graph stand-in over real HTTP: what it sends (recorded by the stand-in) and how it fails. */

const AVERY = DEMO_USERS.find((u) => u.displayName === 'Avery Chen')!;
const RILEY = DEMO_USERS.find((u) => u.displayName === 'Riley Account')!;
const TAB = 'http://localhost:5173/';
const ON: NotificationSettings = { teams: true, mail: true, mailSender: RILEY.email };

const created: Notification = { kind: 'account_created', to: { id: AVERY.id, email: AVERY.email, displayName: AVERY.displayName } };
const arrived: Notification = { kind: 'request_arrived', to: { id: RILEY.id, email: RILEY.email, displayName: RILEY.displayName }, about: { displayName: AVERY.displayName, email: AVERY.email } };
/** Two of Avery's self-logged entries, 1,250.5 credits in all, not in the export of 1–31 March. */
const unconfirmed: Extract<Notification, { kind: 'usage_unconfirmed' }> = {
  kind: 'usage_unconfirmed',
  to: { id: AVERY.id, email: AVERY.email, displayName: AVERY.displayName },
  entries: 2,
  amount: 125_050,
  unitName: 'Cloud Credits',
  range: { from: '2026-03-01', to: '2026-03-31' },
};

let graph: GraphStandIn;

function notifier(settings: NotificationSettings = ON, options: Partial<GraphNotifierOptions> & { roles?: readonly string[] } = {}) {
  const logged: string[] = [];
  const { roles = LOCAL_APP_ROLES, ...rest } = options;
  const adapter = new GraphNotifier({
    baseUrl: graph.url,
    credential: staticTokenCredential(localGraphToken(DEMO_TENANT, undefined, roles)),
    tabUrl: TAB,
    settingsOf: async () => settings,
    retryDelaySeconds: 0,
    log: (line) => logged.push(line),
    ...rest,
  });
  return { adapter, logged };
}

beforeAll(async () => {
  graph = await startGraphStandIn();
});
afterAll(async () => {
  await graph?.stop();
});
beforeEach(() => graph.reset());

describe('GraphNotifier', () => {
  it('sends a Teams activity that opens the quarantine helper when the account is created', async () => {
    const { adapter, logged } = notifier();
    expect(await adapter.notify(DEMO_TENANT, created)).toBe('teams');
    expect(graph.sent()).toEqual([
      {
        kind: 'activityNotification',
        userId: AVERY.id,
        at: expect.any(String),
        body: {
          topic: { source: 'text', value: 'Credit Desk', webUrl: 'http://localhost:5173/#/registration?helper' },
          activityType: 'autodeskAccountCreated',
          previewText: { content: 'Your Autodesk account exists — look for the email, it is probably in quarantine' },
          templateParameters: [{ name: 'email', value: AVERY.email }],
        },
      },
    ]);
    expect(graph.requests().map((r) => [r.method, r.path, r.app])).toEqual([['POST', `/v1.0/users/${AVERY.id}/teamwork/sendActivityNotification`, true]]);
    expect(logged).toEqual([]);
  });

  it('tells an account manager that a request arrived, opening the requests page', async () => {
    const { adapter } = notifier();
    expect(await adapter.notify(DEMO_TENANT, arrived)).toBe('teams');
    const [item] = graph.sent();
    expect(item).toMatchObject({
      kind: 'activityNotification',
      userId: RILEY.id,
      body: { activityType: 'registrationRequested', previewText: { content: 'Avery Chen asked for an Autodesk account' }, topic: { webUrl: 'http://localhost:5173/#/registrations' } },
    });
  });

  it('tells the owner of usage an import did not confirm how many entries and credits, opening their history', async () => {
    const { adapter, logged } = notifier();
    expect(await adapter.notify(DEMO_TENANT, unconfirmed)).toBe('teams');
    expect(graph.sent()).toEqual([
      {
        kind: 'activityNotification',
        userId: AVERY.id,
        at: expect.any(String),
        body: {
          topic: { source: 'text', value: 'Credit Desk', webUrl: 'http://localhost:5173/#/history' },
          activityType: 'usageUnconfirmed',
          previewText: { content: 'Autodesk’s usage export for 2026-03-01 to 2026-03-31 does not show 2 entries you logged (1,250.5 credits)' },
          templateParameters: [
            { name: 'period', value: '2026-03-01 to 2026-03-31' },
            { name: 'entries', value: '2 entries' },
            { name: 'amount', value: '1,250.5 credits' },
          ],
        },
      },
    ]);
    expect(logged).toEqual([]);
  });

  it('words unconfirmed usage in tokens under Flex, in the singular for one entry of one token, and one day as that day', async () => {
    const { adapter } = notifier();
    const one = { ...unconfirmed, entries: 1, amount: 100, unitName: 'Flex tokens' as const, range: { from: '2026-03-04', to: '2026-03-04' } };
    expect(await adapter.notify(DEMO_TENANT, one)).toBe('teams');
    expect(await adapter.notify(DEMO_TENANT, { ...one, entries: 3, amount: 1_250 })).toBe('teams');
    const bodies = graph.sent().map((item) => item.body as { previewText: { content: string }; templateParameters: { name: string; value: string }[] });
    expect(bodies.map((b) => b.templateParameters.map((p) => p.value))).toEqual([
      ['2026-03-04', '1 entry', '1 token'],
      ['2026-03-04', '3 entries', '12.5 tokens'],
    ]);
    expect(bodies[0]!.previewText.content).toBe('Autodesk’s usage export for 2026-03-04 does not show 1 entry you logged (1 token)');
  });

  it('mails the owner of unconfirmed usage what to check, with the link to their history, when Teams refuses', async () => {
    const { adapter } = notifier(ON, { roles: ['User.Read.All', 'Mail.Send'] });
    expect(await adapter.notify(DEMO_TENANT, unconfirmed)).toBe('mail');
    const sent = graph.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      kind: 'mail',
      body: { message: { subject: 'Usage you logged is not in Autodesk’s export (2 entries)', toRecipients: [{ emailAddress: { address: AVERY.email, name: AVERY.displayName } }] } },
    });
    const content = (sent[0]!.body as { message: { body: { content: string } } }).message.body.content;
    expect(content).toBe(
      'Hello Avery Chen,\n\nAutodesk’s usage export for 2026-03-01 to 2026-03-31 does not show 2 entries you logged yourself in Credit Desk (1,250.5 credits in all); ' +
        'they still count as used. Check that the usage was real and that the service and date are right; if not, ask an account manager to correct them. ' +
        'Your history in Credit Desk lists what you logged:\nhttp://localhost:5173/#/history\n\nCredit Desk',
    );
  });

  it('sends only activity types the app manifest declares, filling exactly the parameters of their template', async () => {
    const { adapter } = notifier();
    await adapter.notify(DEMO_TENANT, created);
    await adapter.notify(DEMO_TENANT, arrived);
    await adapter.notify(DEMO_TENANT, unconfirmed);
    const declared = new Map<string, string>(buildManifest(goodSettings()).activities.activityTypes.map((a) => [a.type, a.templateText]));
    for (const item of graph.sent() as { body: { activityType: string; templateParameters: { name: string }[] } }[]) {
      const template = declared.get(item.body.activityType);
      expect(template, item.body.activityType).toBeDefined();
      const placeholders = [...template!.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(item.body.templateParameters.map((p) => p.name).sort()).toEqual(placeholders);
    }
    expect(graph.sent()).toHaveLength(3);
  });

  it('falls back to a plain-text mail from the sender when Teams refuses (403)', async () => {
    // An app without TeamsActivity.Send: the stand-in answers 403 as Graph does.
    const { adapter } = notifier(ON, { roles: ['User.Read.All', 'Mail.Send'] });
    expect(await adapter.notify(DEMO_TENANT, created)).toBe('mail');
    const statuses = graph.requests().map((r) => [r.path, r.status]);
    expect(statuses).toEqual([
      [`/v1.0/users/${AVERY.id}/teamwork/sendActivityNotification`, 403],
      [`/v1.0/users/${encodeURIComponent(RILEY.email)}/sendMail`, 202],
    ]);
    const sent = graph.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      kind: 'mail',
      userId: RILEY.id,
      body: { message: { subject: 'Your Autodesk account exists', body: { contentType: 'text' }, toRecipients: [{ emailAddress: { address: AVERY.email, name: AVERY.displayName } }] } },
    });
    const content = (sent[0]!.body as { message: { body: { content: string } } }).message.body.content;
    expect(content).toContain('http://localhost:5173/#/registration?helper');
    expect(content).toContain('quarantine');
  });

  it('falls back to mail when Teams does not know the person (404)', async () => {
    const stranger: Notification = { kind: 'account_created', to: { id: '00000000-0000-4000-8000-000000000999', email: AVERY.email, displayName: 'Someone' } };
    const { adapter } = notifier();
    expect(await adapter.notify(DEMO_TENANT, stranger)).toBe('mail');
    expect(graph.sent().map((s) => s.kind)).toEqual(['mail']);
  });

  it('answers failed when Teams refuses and no sender mailbox is set', async () => {
    const { adapter, logged } = notifier({ teams: true, mail: true, mailSender: null }, { roles: ['User.Read.All'] });
    expect(await adapter.notify(DEMO_TENANT, created)).toBe('failed');
    expect(graph.sent()).toEqual([]);
    expect(logged.join('\n')).toContain('no mail sender');
  });

  it('sends mail straight away when Teams notifications are off', async () => {
    const { adapter } = notifier({ ...ON, teams: false });
    expect(await adapter.notify(DEMO_TENANT, created)).toBe('mail');
    expect(graph.requests().map((r) => r.path)).toEqual([`/v1.0/users/${encodeURIComponent(RILEY.email)}/sendMail`]);
  });

  it('skips without calling Graph when both are off, or mail has no sender and Teams is off', async () => {
    expect(await notifier({ teams: false, mail: false, mailSender: RILEY.email }).adapter.notify(DEMO_TENANT, created)).toBe('skipped');
    expect(await notifier({ teams: false, mail: true, mailSender: null }).adapter.notify(DEMO_TENANT, created)).toBe('skipped');
    expect(graph.requests()).toEqual([]);
  });

  it('answers failed, without throwing or mailing, when Graph is down (503)', async () => {
    graph.failFor({ status: 503 });
    const { adapter, logged } = notifier(ON, { maxRetries: 1 });
    await expect(adapter.notify(DEMO_TENANT, created)).resolves.toBe('failed');
    expect(graph.requests().every((r) => r.path.endsWith('/sendActivityNotification') && r.status === 503)).toBe(true);
    expect(graph.requests()).toHaveLength(2);
    expect(graph.sent()).toEqual([]);
    expect(logged.join('\n')).toContain('503');
  });

  it('answers failed within its time budget when Graph is slow', async () => {
    graph.slowFor({ delayMs: 2_000 });
    const { adapter } = notifier(ON, { timeoutMs: 200 });
    const started = performance.now();
    expect(await adapter.notify(DEMO_TENANT, created)).toBe('failed');
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('answers failed when the settings cannot be read', async () => {
    const { adapter } = notifier(ON, { settingsOf: async () => Promise.reject(new Error('storage down')) });
    expect(await adapter.notify(DEMO_TENANT, created)).toBe('failed');
  });
});

describe('tabLink', () => {
  it('puts the page in the hash of a web address and in subEntityId of a Teams deep link', () => {
    expect(tabLink('https://desk.example/app/#/feed', 'registration?helper')).toBe('https://desk.example/app/#/registration?helper');
    const teams = new URL(tabLink('https://teams.microsoft.com/l/entity/app-id/creditdesk', 'registrations'));
    expect(JSON.parse(teams.searchParams.get('context')!)).toEqual({ subEntityId: 'registrations' });
  });
});
