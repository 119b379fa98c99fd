import type { FeedEvent, OutboxEntry } from '../../src/core/feed/index.js';

export interface ParkedEntry extends OutboxEntry {
  parkedAt: string;
}

/** What the dispatcher last heard from the webhook: kept so IT sees a bad URL instead of silence. */
export interface DeliveryHealth {
  lastError: string | null;
  lastErrorAt: string | null;
  lastDeliveredAt: string | null;
  /** A fingerprint of the webhook URL that failed, so a new URL is tried at once. */
  failedWebhook: string | null;
}

/**
 * The feed's outbox: events written with their pool change and not yet acknowledged by the Teams webhook.
 * Entries come oldest first.
 */
export interface FeedOutbox {
  pending(tenant: string, limit: number): Promise<OutboxEntry[]>;
  /** Removes delivered entries; an entry already gone is fine. */
  delivered(tenant: string, events: readonly FeedEvent[]): Promise<void>;
  /** Records a failed attempt and when to try again. */
  failed(tenant: string, entry: OutboxEntry): Promise<void>;
  /** Moves an entry out of the way after its last attempt, in one write. */
  park(tenant: string, entry: OutboxEntry, at: string): Promise<void>;
  parked(tenant: string, limit: number): Promise<ParkedEntry[]>;
  /** Puts a parked event back at its place in the queue with fresh attempts; one still waiting becomes due now. */
  requeue(tenant: string, eventId: string): Promise<'requeued' | 'waiting' | 'missing'>;
  health(tenant: string): Promise<DeliveryHealth>;
  setHealth(tenant: string, health: DeliveryHealth): Promise<void>;
}
