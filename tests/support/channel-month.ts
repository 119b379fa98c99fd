/**
 * A month of a firm's activity through the API, posted to IT's channel stand-in by the real dispatcher and
 * Teams webhook channel: for the channel's words test and the channel page's screenshot.
 */
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { TableFeedOutbox } from '../../server/adapters/table-storage/table-feed-outbox.js';
import { TeamsWebhookChannel } from '../../server/adapters/teams/teams-channel.js';
import { DEV_MODE_TARGETS } from '../../server/adapters/teams/webhook-target.js';
import { FeedDispatcher } from '../../server/app/feed-dispatcher.js';
import type { FeedReceiver } from '../../server/local/feed-receiver.js';
import { systemClock } from '../../server/ports/clock.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { TestApi } from './api.js';
import { IT, MANAGER } from './api.js';

export const FIRM_TIME_ZONE = 'America/Chicago';

export interface ChannelMonth {
  /** Ids a person must never read on a card: purchases, people, events. */
  ids: string[];
  /** The id of the purchase that only asked for a quote (the pool did not change). */
  quotePurchaseId: string;
}

async function ok(answer: Promise<{ status: number; body: unknown }>, status: number, what: string) {
  const got = await answer;
  if (got.status !== status) throw new Error(`${what}: ${got.status} ${JSON.stringify(got.body)}`);
  return got.body as any;
}

/** Sets the firm's zone and the stand-in's webhook, then a purchase, a person joining the pool, draws, a hold, a low pool. */
export async function channelMonth(api: TestApi, receiver: FeedReceiver, employee: DemoUser): Promise<ChannelMonth> {
  const settings = await ok(api.call(IT, 'GET', '/api/settings'), 200, 'settings');
  await ok(api.call(IT, 'PUT', '/api/settings', { body: { ...settings, timeZone: FIRM_TIME_ZONE, teamsWebhookUrl: receiver.url } }), 200, 'save settings');

  const bought = await ok(api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 2, reason: 'Q4 top-up' } }), 201, 'purchase');
  const purchaseId = bought.purchase.id as string;
  for (const step of [{ type: 'quote_requested' }, { type: 'quote_received', quoteNumber: 'Q-1001', price: 500, currency: 'USD' }, { type: 'approved' }, { type: 'ordered', poNumber: 'PO-77' }, { type: 'applied' }]) {
    await ok(api.call(MANAGER, 'POST', `/api/purchases/${purchaseId}/events`, { body: step }), 200, step.type);
  }
  await api.register(employee);
  const today = new Date().toISOString().slice(0, 10);
  await ok(api.call(employee, 'POST', '/api/usage', { body: { service: 'cloud_rendering', credits: 100, date: today } }), 201, 'own credits');
  await ok(api.call(employee, 'POST', '/api/usage', { body: { service: 'cloud_rendering', credits: 30, date: today } }), 201, 'pool draw');
  await ok(api.call(employee, 'POST', '/api/holds', { body: { service: 'generative_design', credits: 20 } }), 201, 'hold');
  await ok(api.call(employee, 'POST', '/api/usage', { body: { service: 'simulation', credits: 115.5, date: today } }), 201, 'low pool');

  const next = await ok(api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 1, reason: 'Spring projects' } }), 201, 'second purchase');
  const quotePurchaseId = next.purchase.id as string;
  await ok(api.call(MANAGER, 'POST', `/api/purchases/${quotePurchaseId}/events`, { body: { type: 'quote_requested' } }), 200, 'quote requested');

  const feed = await ok(api.call(IT, 'GET', '/api/feed?limit=100'), 200, 'feed');
  const eventIds = (feed.items as { id: string }[]).map((e) => e.id);
  return { ids: [purchaseId, quotePurchaseId, employee.id, MANAGER.id, ...eventIds], quotePurchaseId };
}

/** Posts everything waiting to the channel stand-in, card by card, as the feed dispatcher does. */
export async function postToChannel(api: TestApi, deadlineMs = 20_000): Promise<void> {
  const outbox = new TableFeedOutbox(AzureTableAdapter.fromConnectionString(api.stack.azurite.connectionString, api.tableName));
  const dispatcher = new FeedDispatcher({
    outbox,
    channel: new TeamsWebhookChannel({ tabUrl: 'http://localhost:5173/' }, { timeoutMs: 5_000, targets: DEV_MODE_TARGETS }),
    clock: systemClock,
    random: Math.random,
    policyOf: async (tenant) => (await api.stack.store.getSettings(tenant))!,
    nameOf: async (tenant, memberId) => (await api.stack.store.getMember(tenant, memberId))?.member.displayName,
  });
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    const report = await dispatcher.dispatch(api.stack.tenant);
    if ((await outbox.pending(api.stack.tenant, 1)).length === 0 && report.wakeAt === null) return;
  }
  throw new Error('the outbox did not drain in time');
}

/** What a person reads on a card: its texts, fact titles and values. */
export function cardWords(content: unknown): string[] {
  if (Array.isArray(content)) return content.flatMap(cardWords);
  if (!content || typeof content !== 'object') return [];
  return Object.entries(content).flatMap(([key, value]) =>
    typeof value === 'string' ? (['text', 'title', 'value', 'fallbackText'].includes(key) ? [value] : []) : cardWords(value),
  );
}
