import type { FeedEvent, OutboxEntry } from '../../../src/core/feed/index.js';
import type { DeliveryHealth, FeedOutbox, ParkedEntry } from '../../ports/feed-outbox.js';
import type { Row } from './entities.js';
import { outboxFromRow, outboxRow } from './entities.js';
import type { EntityTable } from './entity-table.js';
import { MAX_TRANSACTION_ACTIONS, RowConflictError } from './entity-table.js';
import { rowKeys } from './row-keys.js';

const keysOnly = (partitionKey: string, rowKey: string): Row => ({ partitionKey, rowKey });

/** The outbox rows the ledger writes with each event (`outbox|…`, oldest first), on the ledger's table. */
export class TableFeedOutbox implements FeedOutbox {
  constructor(private readonly table: EntityTable) {}

  async pending(tenant: string, limit: number): Promise<OutboxEntry[]> {
    const page = await this.table.query(tenant, { prefix: 'outbox|' }, { limit });
    return page.rows.map(outboxFromRow);
  }

  async delivered(tenant: string, events: readonly FeedEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_TRANSACTION_ACTIONS) {
      const chunk = events.slice(i, i + MAX_TRANSACTION_ACTIONS);
      try {
        await this.table.transact(tenant, chunk.map((e) => ({ kind: 'delete', row: keysOnly(tenant, rowKeys.outbox(e.id)) })));
      } catch (error) {
        if (!(error instanceof RowConflictError && error.status === 404)) throw error;
        // One of them was removed already (a retried acknowledgement): remove the rest one by one.
        for (const e of chunk) await this.deleteIfPresent(tenant, rowKeys.outbox(e.id));
      }
    }
  }

  private async deleteIfPresent(tenant: string, rowKey: string): Promise<void> {
    try {
      await this.table.transact(tenant, [{ kind: 'delete', row: keysOnly(tenant, rowKey) }]);
    } catch (error) {
      if (!(error instanceof RowConflictError && error.status === 404)) throw error;
    }
  }

  async failed(tenant: string, entry: OutboxEntry): Promise<void> {
    try {
      // If-Match * : only while the row is still there, so a late failure never brings back a delivered event.
      await this.table.transact(tenant, [{ kind: 'update', row: outboxRow(tenant, entry.event, entry), etag: '*' }]);
    } catch (error) {
      if (!(error instanceof RowConflictError && error.status === 404)) throw error;
    }
  }

  async park(tenant: string, entry: OutboxEntry, at: string): Promise<void> {
    const parked = { ...outboxRow(tenant, entry.event, entry, rowKeys.parked(entry.event.id)), parkedAt: at };
    try {
      await this.table.transact(tenant, [
        { kind: 'delete', row: keysOnly(tenant, rowKeys.outbox(entry.event.id)) },
        { kind: 'create', row: parked },
      ]);
    } catch (error) {
      if (!(error instanceof RowConflictError)) throw error;
      // Parked already, or no longer waiting: nothing is lost either way.
    }
  }

  async parked(tenant: string, limit: number): Promise<ParkedEntry[]> {
    const page = await this.table.query(tenant, { prefix: 'parked|' }, { limit });
    return page.rows.map((row) => ({ ...outboxFromRow(row), parkedAt: typeof row.parkedAt === 'string' ? row.parkedAt : '' }));
  }

  async requeue(tenant: string, eventId: string): Promise<'requeued' | 'waiting' | 'missing'> {
    const row = await this.table.get(tenant, rowKeys.parked(eventId));
    if (!row) {
      const waiting = await this.table.get(tenant, rowKeys.outbox(eventId));
      if (!waiting) return 'missing';
      // Waiting for a retry: IT asks for it now.
      await this.failed(tenant, { ...outboxFromRow(waiting), nextAttemptAt: null });
      return 'waiting';
    }
    const { event } = outboxFromRow(row);
    try {
      await this.table.transact(tenant, [
        { kind: 'delete', row: keysOnly(tenant, row.rowKey) },
        { kind: 'create', row: outboxRow(tenant, event) },
      ]);
    } catch (error) {
      if (!(error instanceof RowConflictError)) throw error;
      if (error.status === 404) return 'waiting'; // requeued by a concurrent click
      await this.deleteIfPresent(tenant, row.rowKey); // 409: it is waiting in the outbox already
      return 'waiting';
    }
    return 'requeued';
  }

  async health(tenant: string): Promise<DeliveryHealth> {
    const row = await this.table.get(tenant, rowKeys.feedDelivery());
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
    return { lastError: text(row?.lastError), lastErrorAt: text(row?.lastErrorAt), lastDeliveredAt: text(row?.lastDeliveredAt), failedWebhook: text(row?.failedWebhook) };
  }

  async setHealth(tenant: string, health: DeliveryHealth): Promise<void> {
    const row: Row = {
      partitionKey: tenant,
      rowKey: rowKeys.feedDelivery(),
      lastError: health.lastError ?? '',
      lastErrorAt: health.lastErrorAt ?? '',
      lastDeliveredAt: health.lastDeliveredAt ?? '',
      failedWebhook: health.failedWebhook ?? '',
    };
    try {
      await this.table.transact(tenant, [{ kind: 'update', row, etag: '*' }]);
    } catch (error) {
      if (!(error instanceof RowConflictError && error.status === 404)) throw error;
      await this.table.create(row).catch((e: unknown) => {
        if (!(e instanceof RowConflictError)) throw e;
      });
    }
  }
}
