/**
 * The feed reaches IT's Teams channel card by card: the real dispatcher over Azurite, posting over HTTP to
 * the local stand-in for the Workflows webhook, while the webhook fails for a while and acknowledgements
 * get lost on the way back.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_TUNING } from '../../src/core/feed/index.js';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { TableFeedOutbox } from '../../server/adapters/table-storage/table-feed-outbox.js';
import { TeamsWebhookChannel } from '../../server/adapters/teams/teams-channel.js';
import type { WebhookSender } from '../../server/adapters/teams/webhook-channel.js';
import { sendPinned } from '../../server/adapters/teams/webhook-channel.js';
import type { WebhookTargetPolicy } from '../../server/adapters/teams/webhook-target.js';
import { DEV_MODE_TARGETS, PRODUCTION_TARGETS } from '../../server/adapters/teams/webhook-target.js';
import { putSettings } from '../../server/app/settings.js';
import { FeedDispatcher } from '../../server/app/feed-dispatcher.js';
import type { FeedReceiver } from '../../server/local/feed-receiver.js';
import { startFeedReceiver } from '../../server/local/feed-receiver.js';
import { systemClock } from '../../server/ports/clock.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, startTestApi } from '../support/api.js';

const FAST = { ...DELIVERY_TUNING, baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 6 };
const today = () => new Date().toISOString().slice(0, 10);

let api: TestApi;
let receiver: FeedReceiver;
let outbox: TableFeedOutbox;

beforeAll(async () => {
  api = await startTestApi();
  receiver = await startFeedReceiver();
  outbox = new TableFeedOutbox(AzureTableAdapter.fromConnectionString(api.stack.azurite.connectionString, api.tableName));
});

afterAll(async () => {
  await receiver?.stop();
  await api?.stack.stop();
});

afterEach(() => receiver.reset());

/**
 * A dispatcher whose HTTP client loses the answers of the calls numbered in `loseAnswers` (the post itself
 * lands). It posts to the stand-in on loopback as dev mode does, unless given the production targets.
 */
function dispatcherLosing(loseAnswers: ReadonlySet<number>, targets: WebhookTargetPolicy = DEV_MODE_TARGETS) {
  let call = 0;
  const lossySend: WebhookSender = async (target, body, signal) => {
    const answer = await sendPinned(target, body, signal);
    if (loseAnswers.has(++call)) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    return answer;
  };
  return new FeedDispatcher({
    outbox,
    channel: new TeamsWebhookChannel({ tabUrl: 'http://localhost:5173/' }, { send: lossySend, timeoutMs: 2_000, targets }),
    clock: systemClock,
    random: Math.random,
    policyOf: async (tenant) => (await api.stack.store.getSettings(tenant))!,
    tuning: FAST,
  });
}

async function useWebhook(url: string | null) {
  const settings = await api.call(IT, 'GET', '/api/settings');
  const saved = await api.call(IT, 'PUT', '/api/settings', { body: { ...settings.body, teamsWebhookUrl: url } });
  expect(saved.status).toBe(200);
}

/** Every event id in the feed, oldest first (postings oldest first, a posting's events in the order it made them). */
async function allEventIds(): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call(IT, 'GET', `/api/feed?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    ids.push(...page.body.items.map((e: { id: string }) => e.id));
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  const posting = (id: string) => id.slice(0, id.lastIndexOf('.'));
  const postings = [...new Set(ids.map(posting))].reverse();
  return postings.flatMap((p) => ids.filter((id) => posting(id) === p).sort());
}

async function drain(dispatcher: FeedDispatcher, deadlineMs = 20_000) {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    const report = await dispatcher.dispatch(api.stack.tenant);
    if ((await outbox.pending(api.stack.tenant, 1)).length === 0 && report.wakeAt === null) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the outbox did not drain in time');
}

describe('feed delivery to the Teams channel', () => {
  it('every event arrives, in order, through failures; repeats only where an acknowledgement was lost', async () => {
    // Events: purchase steps, people joining the pool and drawing on it.
    await api.fillPool(3);
    const [a, b] = EMPLOYEES as [(typeof EMPLOYEES)[number], (typeof EMPLOYEES)[number]];
    await api.register(a);
    await api.register(b);
    for (const [who, credits] of [[a, 104], [b, 101], [a, 7], [b, 3], [a, 2.5]] as const) {
      expect((await api.call(who, 'POST', '/api/usage', { body: { service: 'simulation', credits, date: today() } })).status).toBe(201);
    }
    await useWebhook(receiver.url);
    const ids = await allEventIds();
    expect(ids.length).toBeGreaterThanOrEqual(12);

    receiver.failFor({ count: 4 });
    const lost = new Set([7, 11]);
    await drain(dispatcherLosing(lost));

    const arrivals = receiver.received().flatMap((card) => card.eventIds);
    expect(receiver.refusals()).toBe(4);
    expect(new Set(arrivals)).toEqual(new Set(ids));
    // In order: each event's first arrival comes after every older event's.
    const firstArrival = [...new Set(arrivals)];
    expect(firstArrival).toEqual(ids);
    // The calls whose answer was lost are the only repeats, each once.
    const repeats = arrivals.filter((id, i) => arrivals.indexOf(id) !== i);
    expect(repeats).toHaveLength(lost.size);
    expect(receiver.received().every((card) => card.payload.attachments[0]?.contentType === 'application/vnd.microsoft.card.adaptive')).toBe(true);

    const delivery = await api.call(IT, 'GET', '/api/feed/delivery');
    expect(delivery.status).toBe(200);
    expect(delivery.body).toMatchObject({ webhookConfigured: true, pending: 0, parked: [], stalled: false, lastError: null });
    expect(delivery.body.lastDeliveredAt).not.toBeNull();
  });

  it('a bad webhook URL is reported to IT, parks the events, and nothing is lost once it is fixed', async () => {
    await useWebhook(receiver.url.replace(/\/webhook$/, '/no-such-hook'));
    const purchase = await api.call(IT, 'POST', '/api/purchases', { body: { blocks: 1, reason: 'Parking test' } });
    expect(purchase.status).toBe(201);
    const newest = (await allEventIds()).at(-1)!;
    await drain(dispatcherLosing(new Set()));

    const delivery = await api.call(IT, 'GET', '/api/feed/delivery');
    expect(delivery.body.lastError).toMatch(/404/);
    expect(delivery.body.lastError).toMatch(/webhook URL in settings/);
    expect(delivery.body.parked.map((p: { event: { id: string } }) => p.event.id)).toEqual([newest]);
    expect(delivery.body.parked[0].attempts).toBe(FAST.maxAttempts);
    expect(receiver.received()).toEqual([]);

    // IT fixes the URL and sends the parked event again (twice: the second changes nothing).
    await useWebhook(receiver.url);
    expect((await api.call(IT, 'POST', `/api/feed/parked/${newest}/retry`)).status).toBe(200);
    expect((await api.call(IT, 'POST', `/api/feed/parked/${newest}/retry`)).status).toBe(200);
    expect((await api.call(EMPLOYEES[0], 'POST', `/api/feed/parked/${newest}/retry`)).status).toBe(403);
    expect((await api.call(IT, 'POST', '/api/feed/parked/no-such-event/retry')).status).toBe(404);
    await drain(dispatcherLosing(new Set()));
    const settingsChange = (await allEventIds()).filter((id) => !receiver.received().some((c) => c.eventIds.includes(id)));
    expect(receiver.received().flatMap((c) => c.eventIds)).toEqual([newest]);
    expect(settingsChange).not.toContain(newest);
    const after = await api.call(IT, 'GET', '/api/feed/delivery');
    expect(after.body).toMatchObject({ parked: [], pending: 0, lastError: null });
  });

  it('refuses a webhook URL that is not https (or the local stand-in) in settings', async () => {
    const settings = await api.call(IT, 'GET', '/api/settings');
    for (const bad of ['http://hooks.example.com/x', 'ftp://127.0.0.1/x', 'javascript:alert(1)']) {
      const answer = await api.call(IT, 'PUT', '/api/settings', { body: { ...settings.body, teamsWebhookUrl: bad } });
      expect(answer.status, bad).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses, and saves nothing for, a webhook off the Teams Workflows hosts or at a private address, saying which hosts are allowed', async () => {
    const settings = await api.call(IT, 'GET', '/api/settings');
    for (const bad of ['https://hooks.example.com/x', 'https://169.254.169.254/metadata/instance', 'https://10.0.0.5/hook', 'https://[fd00::1]/hook', 'https://prod-00.westeurope.logic.azure.com.evil.example/x', 'https://prod-00.westeurope.logic.azure.com:8443/x']) {
      const answer = await api.call(IT, 'PUT', '/api/settings', { body: { ...settings.body, teamsWebhookUrl: bad } });
      expect(answer.status, bad).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
      expect(answer.body.error.message).toContain('*.logic.azure.com, *.api.powerplatform.com, *.webhook.office.com');
      expect(answer.body.error.details.fields).toEqual(['teamsWebhookUrl']);
    }
    expect((await api.call(IT, 'GET', '/api/settings')).body).toEqual(settings.body);
    const workflows = 'https://prod-00.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=x';
    expect((await api.call(IT, 'PUT', '/api/settings', { body: { ...settings.body, teamsWebhookUrl: workflows } })).status).toBe(200);
    await useWebhook(settings.body.teamsWebhookUrl);
  });

  it('outside dev mode, a stand-in URL saved before the check is refused at delivery without a request', async () => {
    // Saved by a use case with no allow-list (as before the check existed).
    const { webhookTargets: _none, ...unchecked } = api.stack.deps;
    const caller = { tenant: api.stack.tenant, id: IT.id, email: IT.email, displayName: IT.displayName, roles: IT.roles };
    const policy = (await api.stack.store.getSettings(api.stack.tenant))!;
    const write = { idempotency: { caller: IT.id, key: `unchecked-${Date.now()}`, fingerprint: 'unchecked' } };
    expect((await putSettings(unchecked, caller, write, { ...policy, teamsWebhookUrl: receiver.url })).ok).toBe(true);
    expect((await api.call(IT, 'POST', '/api/purchases', { body: { blocks: 1, reason: 'Refused target' } })).status).toBe(201);

    await drain(dispatcherLosing(new Set(), PRODUCTION_TARGETS));
    expect(receiver.received()).toEqual([]);
    expect(receiver.refusals()).toBe(0);
    const delivery = await api.call(IT, 'GET', '/api/feed/delivery');
    expect(delivery.body.lastError).toMatch(/^The Teams webhook URL must be https:\/\/ \(standard port\) on one of the Teams Workflows hosts \*\.logic\.azure\.com/);
    expect(delivery.body.parked.length).toBeGreaterThan(0);

    // Dev mode posts to the stand-in: the parked events go once sent again.
    for (const p of delivery.body.parked as { event: { id: string } }[]) expect((await api.call(IT, 'POST', `/api/feed/parked/${p.event.id}/retry`)).status).toBe(200);
    await drain(dispatcherLosing(new Set()));
    expect(receiver.received().length).toBeGreaterThan(0);
  });

  it("IT's delivery status carries the webhook's status in fixed words, never what its answer said", async () => {
    const SECRET = 'sk_live_51Hx-internal-db.corp.local-password=hunter2';
    const talkative = createServer((req, res) => {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'BadRequest', message: SECRET } }));
    });
    await new Promise<void>((resolve) => talkative.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = talkative.address() as AddressInfo;
      await useWebhook(`http://127.0.0.1:${port}/webhook`);
      expect((await api.call(IT, 'POST', '/api/purchases', { body: { blocks: 1, reason: 'Talkative webhook' } })).status).toBe(201);
      await drain(dispatcherLosing(new Set()));
      const delivery = await api.call(IT, 'GET', '/api/feed/delivery');
      expect(delivery.body.lastError).toBe('The Teams webhook refused the card (400): it does not accept the card as sent (HTTP 400)');
      const text = JSON.stringify(delivery.body);
      for (const secret of [SECRET, 'hunter2', 'corp.local', 'BadRequest']) expect(text).not.toContain(secret);
    } finally {
      talkative.closeAllConnections();
      await new Promise<void>((resolve) => talkative.close(() => resolve()));
    }
    await useWebhook(receiver.url);
  });
});
