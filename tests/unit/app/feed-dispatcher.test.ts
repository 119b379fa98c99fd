import { describe, expect, it } from 'vitest';
import type { DigestWindow, FeedEvent, OutboxEntry } from '../../../src/core/feed/index.js';
import { DELIVERY_TUNING } from '../../../src/core/feed/index.js';
import { newMember } from '../../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { TableFeedOutbox } from '../../../server/adapters/table-storage/table-feed-outbox.js';
import { TableLedgerStore } from '../../../server/adapters/table-storage/table-ledger-store.js';
import type { Caller } from '../../../server/app/caller.js';
import type { AppDeps } from '../../../server/app/deps.js';
import { policyOf } from '../../../server/app/deps.js';
import { getFeedDelivery, requeueParkedEvent } from '../../../server/app/feed-delivery.js';
import { FeedDispatcher } from '../../../server/app/feed-dispatcher.js';
import { purchaseEvent, startPurchase } from '../../../server/app/purchases.js';
import { registrationEvent } from '../../../server/app/registrations.js';
import { putSettings } from '../../../server/app/settings.js';
import { postUsage } from '../../../server/app/usage.js';
import type { ChannelResult, FeedChannel } from '../../../server/ports/feed-channel.js';
import { newestFirstIds } from '../../../server/ports/ids.js';
import { NO_DIRECTORY } from '../../support/directory.js';

const TENANT = 't1';
const HOOK = 'https://example.invalid/webhook';
const it_: Caller = { tenant: TENANT, id: 'it', email: 'it@x.example', displayName: 'IT', roles: ['AccountManager', 'ITAdmin'] };
const person: Caller = { tenant: TENANT, id: 'p1', email: 'p1@x.example', displayName: 'P1', roles: [] };
let counter = 0;
const write = (caller = 'x') => ({ idempotency: { caller, key: `k${++counter}`, fingerprint: `f${counter}` } });

/** A channel that answers from a script and records what it was sent. */
class ScriptedChannel implements FeedChannel {
  readonly sent: string[][] = [];
  readonly digests: DigestWindow[] = [];
  constructor(public answer: (call: number) => ChannelResult = () => ({ ok: true, status: 202 })) {}
  async sendEvent(_url: string, event: FeedEvent) {
    this.sent.push([event.id]);
    return this.answer(this.sent.length);
  }
  async sendDigest(_url: string, events: readonly FeedEvent[], window: DigestWindow) {
    this.sent.push(events.map((e) => e.id));
    this.digests.push(window);
    return this.answer(this.sent.length);
  }
}

const down: ChannelResult = { ok: false, status: 503, error: 'The webhook is down', retryable: true };

async function setup(options: { webhook?: string | null; digest?: 'off' | 'hourly' } = {}) {
  let now = Date.parse('2026-11-27T09:00:00Z');
  const clock = { now: () => new Date(now) };
  const table = new MemoryTableAdapter();
  const store = new TableLedgerStore({ table, clock, ids: newestFirstIds(() => now), defaultPolicy: DEFAULT_POLICY });
  const outbox = new TableFeedOutbox(table);
  const deps: AppDeps & { outbox: TableFeedOutbox } = { store, outbox, directory: NO_DIRECTORY, clock, defaultPolicy: DEFAULT_POLICY };
  const policy = { ...DEFAULT_POLICY, teamsWebhookUrl: options.webhook === undefined ? HOOK : options.webhook, feedDigest: options.digest ?? 'off' };
  expect((await putSettings(deps, it_, write(), policy)).ok).toBe(true);
  const channel = new ScriptedChannel();
  const dispatcher = new FeedDispatcher({ outbox, channel, clock, random: () => 0.5, policyOf: (tenant) => policyOf(deps, tenant) });
  const advance = (ms: number) => (now += ms);
  return { table, store, outbox, deps, channel, dispatcher, advance };
}

/** A purchase walked to applied: five purchase_step events, oldest first. */
async function purchaseSteps(deps: AppDeps, advance: (ms: number) => void): Promise<string[]> {
  const created = await startPurchase(deps, it_, write(), { blocks: 2 });
  const id = (created as { value: { purchase: { id: string } } }).value.purchase.id;
  for (const step of [{ type: 'quote_received', quoteNumber: 'Q', price: 1, currency: 'USD' }, { type: 'approved' }, { type: 'ordered', poNumber: 'P' }, { type: 'applied' }] as const) {
    advance(1000);
    expect((await purchaseEvent(deps, it_, write(), id, step)).ok).toBe(true);
  }
  const events = await deps.store.listEvents(TENANT, { limit: 100 });
  return events.items.map((e) => e.id).reverse();
}

describe('feed dispatcher', () => {
  it('delivers every event once, oldest first, and leaves the outbox empty', async () => {
    const { deps, outbox, channel, dispatcher, advance } = await setup();
    const ids = await purchaseSteps(deps, advance);
    expect(ids.length).toBeGreaterThanOrEqual(5);
    expect((await outbox.pending(TENANT, 100)).map((e) => e.event.id)).toEqual(ids);
    const report = await dispatcher.dispatch(TENANT);
    expect(report).toMatchObject({ delivered: ids.length, failed: 0, parked: 0, wakeAt: null });
    expect(channel.sent.flat()).toEqual(ids);
    expect(await outbox.pending(TENANT, 100)).toEqual([]);
    expect((await dispatcher.dispatch(TENANT)).delivered).toBe(0);
    expect(channel.sent.flat()).toEqual(ids);
  });

  it('keeps order through failures: the failed event blocks those behind it until its retry succeeds', async () => {
    const { deps, outbox, channel, dispatcher, advance } = await setup();
    const ids = await purchaseSteps(deps, advance);
    channel.answer = (call) => (call <= 3 ? down : { ok: true, status: 202 });
    const first = await dispatcher.dispatch(TENANT);
    expect(first).toMatchObject({ delivered: 0, failed: 1 });
    expect(first.wakeAt).not.toBeNull();
    const health = await outbox.health(TENANT);
    expect(health.lastError).toContain('The webhook is down (HTTP 503)');
    for (let i = 0; i < 5; i++) {
      advance(DELIVERY_TUNING.maxDelayMs * 2);
      await dispatcher.dispatch(TENANT);
    }
    const sent = channel.sent.flat();
    expect(sent.slice(0, 3)).toEqual([ids[0], ids[0], ids[0]]);
    expect(sent.slice(3)).toEqual(ids);
    expect(await outbox.pending(TENANT, 100)).toEqual([]);
    expect((await outbox.health(TENANT)).lastError).toBeNull();
  });

  it('parks an event after its last attempt, goes on with the next, and sends it again when IT asks', async () => {
    const { deps, outbox, channel, dispatcher, advance } = await setup();
    const ids = await purchaseSteps(deps, advance);
    const refused: ChannelResult = { ok: false, status: 400, error: 'The Teams webhook refused the card', retryable: false };
    channel.answer = (call) => (call <= DELIVERY_TUNING.maxAttempts ? refused : { ok: true, status: 202 });
    for (let i = 0; i < DELIVERY_TUNING.maxAttempts + 1; i++) {
      await dispatcher.dispatch(TENANT);
      advance(DELIVERY_TUNING.maxDelayMs * 2);
    }
    const parked = await outbox.parked(TENANT, 10);
    expect(parked.map((p) => p.event.id)).toEqual([ids[0]]);
    expect(parked[0]?.attempts).toBe(DELIVERY_TUNING.maxAttempts);
    expect(await outbox.pending(TENANT, 100)).toEqual([]);
    const view = await getFeedDelivery(deps, it_);
    expect(view.ok && view.value).toMatchObject({ parked: [{ event: { id: ids[0] }, attempts: DELIVERY_TUNING.maxAttempts }], pending: 0, webhookConfigured: true });

    expect(await requeueParkedEvent(deps, it_, ids[0]!)).toMatchObject({ ok: true, value: { requeued: true } });
    expect(await requeueParkedEvent(deps, it_, ids[0]!)).toMatchObject({ ok: true });
    expect((await outbox.pending(TENANT, 10)).map((e) => ({ id: e.event.id, attempts: e.attempts }))).toEqual([{ id: ids[0], attempts: 0 }]);
    expect(await outbox.parked(TENANT, 10)).toEqual([]);
    expect(await requeueParkedEvent(deps, it_, 'no-such-event')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    await dispatcher.dispatch(TENANT);
    expect(channel.sent.flat().filter((id) => id === ids[0])).toHaveLength(DELIVERY_TUNING.maxAttempts + 1);
    expect(await outbox.pending(TENANT, 10)).toEqual([]);
  });

  it('never sends an event again after a 2xx, even when storage fails to forget it', async () => {
    const { deps, outbox, channel, dispatcher, advance } = await setup();
    const ids = await purchaseSteps(deps, advance);
    const realDelivered = outbox.delivered.bind(outbox);
    let failures = 2;
    outbox.delivered = async (tenant: string, events: readonly FeedEvent[]) => {
      if (failures-- > 0) throw new Error('storage did not answer');
      return realDelivered(tenant, events);
    };
    await expect(dispatcher.dispatch(TENANT)).rejects.toThrow('storage did not answer');
    await expect(dispatcher.dispatch(TENANT)).rejects.toThrow('storage did not answer');
    expect(channel.sent.flat()).toEqual([ids[0]]);
    expect((await outbox.pending(TENANT, 10)).length).toBe(ids.length);
    await dispatcher.dispatch(TENANT);
    expect(channel.sent.flat()).toEqual(ids);
    expect(await outbox.pending(TENANT, 10)).toEqual([]);
  });

  it('without a webhook keeps every event waiting and reports why', async () => {
    const { deps, outbox, channel, dispatcher, advance } = await setup({ webhook: null });
    const ids = await purchaseSteps(deps, advance);
    expect(await dispatcher.dispatch(TENANT)).toMatchObject({ skipped: 'no-webhook', delivered: 0 });
    expect(channel.sent).toEqual([]);
    expect((await outbox.pending(TENANT, 100)).length).toBe(ids.length);
  });

  it('sends pool draws as one digest per hour once the hour is over', async () => {
    const { deps, store, outbox, channel, dispatcher, advance } = await setup({ digest: 'hourly' });
    await store.ensureMember(TENANT, newMember({ id: person.id, email: person.email, displayName: person.displayName, now: new Date().toISOString() }));
    expect((await registrationEvent(deps, it_, write(), person.id, { type: 'already_registered' })).ok).toBe(true);
    const steps = await purchaseSteps(deps, advance);
    await dispatcher.dispatch(TENANT);
    expect(channel.sent.flat()).toEqual(steps);
    for (let i = 0; i < 3; i++) {
      advance(60_000);
      const used = await postUsage(deps, person, write(person.id), { service: 'simulation', credits: i === 0 ? 110 : 5, date: '2026-11-26' });
      expect(used.ok).toBe(true);
    }
    // The feed reads newest first, within a posting too: the draw above the "joined the pool" it caused.
    const newest = await store.listEvents(TENANT, { limit: 100 });
    const joined = newest.items.findIndex((e) => e.kind === 'pool_joined');
    expect(newest.items[joined - 1]).toMatchObject({ kind: 'pool_draw', postingId: newest.items[joined]?.postingId });
    const waiting = await outbox.pending(TENANT, 100);
    const draws = waiting.filter((e: OutboxEntry) => e.event.kind === 'pool_draw').map((e) => e.event.id);
    expect(draws).toHaveLength(3);
    const before = channel.sent.length;
    await dispatcher.dispatch(TENANT);
    // pool_joined goes at once; the draws wait for the end of the hour.
    expect(channel.sent.slice(before).flat().some((id) => draws.includes(id))).toBe(false);
    advance(3_600_000);
    const report = await dispatcher.dispatch(TENANT);
    expect(report.delivered).toBe(3);
    expect(channel.sent.at(-1)).toEqual(draws);
    expect(channel.digests).toEqual([{ from: '2026-11-27T09:00:00.000Z', to: '2026-11-27T10:00:00.000Z', mode: 'hourly' }]);
    expect(await outbox.pending(TENANT, 100)).toEqual([]);
  });
});

describe('feed dispatcher after IT acts', () => {
  it('tries a new webhook URL at once instead of waiting out the back-off', async () => {
    const { deps, outbox, channel, dispatcher, advance } = await setup();
    const ids = await purchaseSteps(deps, advance);
    channel.answer = (call) => (call === 1 ? { ok: false, status: 404, error: 'The Teams webhook refused the card', retryable: false } : { ok: true, status: 202 });
    await dispatcher.dispatch(TENANT);
    expect((await dispatcher.dispatch(TENANT)).delivered).toBe(0); // still backing off
    const settings = await policyOf(deps, TENANT);
    expect((await putSettings(deps, it_, write(), { ...settings, teamsWebhookUrl: 'https://example.invalid/fixed' })).ok).toBe(true);
    const report = await dispatcher.dispatch(TENANT);
    expect(report.delivered).toBe(ids.length);
    expect(await outbox.pending(TENANT, 100)).toEqual([]);
    expect((await outbox.health(TENANT)).lastError).toBeNull();
  });

  it('"send again" on an event waiting for its retry makes it due now', async () => {
    const { deps, outbox, channel, dispatcher, advance } = await setup();
    const ids = await purchaseSteps(deps, advance);
    channel.answer = (call) => (call === 1 ? down : { ok: true, status: 202 });
    await dispatcher.dispatch(TENANT);
    expect((await outbox.pending(TENANT, 1))[0]?.nextAttemptAt).not.toBeNull();
    expect(await requeueParkedEvent(deps, it_, ids[0]!)).toMatchObject({ ok: true });
    const head = (await outbox.pending(TENANT, 1))[0];
    expect(head).toMatchObject({ event: { id: ids[0] }, attempts: 1, nextAttemptAt: null });
    expect((await dispatcher.dispatch(TENANT)).delivered).toBe(ids.length);
  });
});
