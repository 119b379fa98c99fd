import { createHash } from 'node:crypto';
import type { FeedEvent, OutboxEntry } from '../../src/core/feed/index.js';
import type { Policy } from '../../src/core/policy/index.js';
import { DELIVERY_TUNING, afterFailure, nextDelivery, wordsFor } from '../../src/core/feed/index.js';
import type { Clock } from '../ports/clock.js';
import type { ChannelResult, FeedChannel } from '../ports/feed-channel.js';
import type { DeliveryHealth, FeedOutbox } from '../ports/feed-outbox.js';

export interface DispatcherDeps {
  outbox: FeedOutbox;
  channel: FeedChannel;
  clock: Clock;
  /** For the retry jitter. */
  random: () => number;
  policyOf(tenant: string): Promise<Policy>;
  /** A person's display name for the cards' "By" line (actors are stored as ids). */
  nameOf?(tenant: string, memberId: string): Promise<string | undefined>;
  /** Back-off and parking; tests shorten the delays. */
  tuning?: typeof DELIVERY_TUNING;
}

export interface DispatchReport {
  delivered: number;
  failed: number;
  parked: number;
  /** When something will be due again (a retry or a digest window closing); null when the outbox is empty. */
  wakeAt: string | null;
  skipped?: 'no-webhook';
}

const PAGE = 500;

/** Which webhook failed, without storing its URL (a Workflows URL carries its signature). */
const fingerprint = (url: string) => createHash('sha256').update(url).digest('base64url').slice(0, 16);

/**
 * Posts undelivered feed events to the Teams channel, oldest first (DESIGN 4.5). An event leaves the outbox
 * only after a 2xx; if storage then fails to remove it, the dispatcher remembers the acknowledgement and
 * never sends that event again from this process. Failures back off with jitter; after the last attempt
 * the event is parked for IT.
 */
export class FeedDispatcher {
  /** Acknowledged by the webhook but not yet removed from the outbox. */
  private readonly acknowledged = new Map<string, FeedEvent>();

  constructor(private readonly deps: DispatcherDeps) {}

  /** One pass for one tenant, bounded by `maxSends` webhook calls. */
  async dispatch(tenant: string, options: { maxSends?: number } = {}): Promise<DispatchReport> {
    const report: DispatchReport = { delivered: 0, failed: 0, parked: 0, wakeAt: null };
    await this.flushAcknowledged(tenant);
    const policy = await this.deps.policyOf(tenant);
    const url = policy.teamsWebhookUrl;
    if (!url) return { ...report, skipped: 'no-webhook' };
    const words = wordsFor(policy);
    let health = await this.deps.outbox.health(tenant);
    let entries = await this.waiting(tenant);
    // IT changed the webhook since it last failed: what waits for a retry may go now.
    const webhook = fingerprint(url);
    if (health.lastError && health.failedWebhook !== webhook) entries = entries.map((e) => ({ ...e, nextAttemptAt: null }));
    let sends = 0;
    while (sends < (options.maxSends ?? 200)) {
      const now = this.deps.clock.now().toISOString();
      const step = nextDelivery(entries, now, policy.feedDigest);
      if (step.kind === 'idle') {
        report.wakeAt = step.wakeAt;
        break;
      }
      const batch = step.kind === 'send' ? [step.entry] : step.entries;
      sends++;
      const result: ChannelResult =
        step.kind === 'send'
          ? await this.deps.channel.sendEvent(url, await this.withActorName(tenant, step.entry.event), words)
          : await this.deps.channel.sendDigest(url, batch.map((e) => e.event), step.window, words);
      if (result.ok) {
        const events = batch.map((e) => e.event);
        for (const e of events) this.acknowledged.set(e.id, e);
        report.delivered += events.length;
        entries = entries.filter((e) => !this.acknowledged.has(e.event.id));
        await this.flushAcknowledged(tenant);
        // Written when it changes something IT reads: a cleared error, or a "last card" over a minute old.
        const stale = !health.lastDeliveredAt || Date.parse(now) - Date.parse(health.lastDeliveredAt) > 60_000;
        if (health.lastError || stale) health = await this.record(tenant, { lastError: null, lastErrorAt: null, failedWebhook: null, lastDeliveredAt: now });
      } else {
        report.failed += batch.length;
        const error = result.status ? `${result.error} (HTTP ${result.status})` : result.error;
        const updated: OutboxEntry[] = [];
        for (const entry of batch) {
          const next = afterFailure(entry, now, error, this.deps.random(), result.retryAfterMs, this.deps.tuning);
          if (next.park) {
            await this.deps.outbox.park(tenant, next.entry, now);
            report.parked++;
          } else {
            await this.deps.outbox.failed(tenant, next.entry);
            updated.push(next.entry);
          }
        }
        const byId = new Map(updated.map((e) => [e.event.id, e]));
        entries = entries.flatMap((e) => (byId.has(e.event.id) ? [byId.get(e.event.id)!] : batch.some((b) => b.event.id === e.event.id) ? [] : [e]));
        health = await this.record(tenant, { ...health, lastError: error, lastErrorAt: now, failedWebhook: webhook });
      }
      if (entries.length === 0) entries = await this.waiting(tenant);
    }
    return report;
  }

  private async withActorName(tenant: string, event: FeedEvent): Promise<FeedEvent> {
    if (event.actor.startsWith('system:')) return { ...event, actorName: 'Credit Desk' };
    const name = await this.deps.nameOf?.(tenant, event.actor).catch(() => undefined);
    return name ? { ...event, actorName: name } : event;
  }

  private async waiting(tenant: string): Promise<OutboxEntry[]> {
    const entries = await this.deps.outbox.pending(tenant, PAGE);
    return entries.filter((e) => !this.acknowledged.has(e.event.id));
  }

  /** Removes acknowledged events from the outbox; kept in memory while storage is failing. */
  private async flushAcknowledged(tenant: string): Promise<void> {
    const events = [...this.acknowledged.values()];
    if (events.length === 0) return;
    await this.deps.outbox.delivered(tenant, events);
    for (const e of events) this.acknowledged.delete(e.id);
  }

  private async record(tenant: string, health: DeliveryHealth): Promise<DeliveryHealth> {
    await this.deps.outbox.setHealth(tenant, health);
    return health;
  }
}
