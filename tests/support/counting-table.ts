import { performance } from 'node:perf_hooks';
import type { Row } from '../../server/adapters/table-storage/entities.js';
import { isAuditLine } from '../../server/adapters/table-storage/entities.js';
import type { EntityTable, RowPage, RowQuery, TableAction } from '../../server/adapters/table-storage/entity-table.js';

/** What went through the table: reads, and the entities written by what committed. */
export interface EntityCounts {
  gets: number;
  /** Query requests: one per page asked for. */
  queries: number;
  /** Entity-group transactions that committed, and those that failed (nothing of them written). */
  transactions: number;
  failedTransactions: number;
  /** Milliseconds spent waiting on transactions, committed or not: how busy the writer kept storage. */
  transactionMs: number;
  /** Entities written (each action of a committed transaction, each single create that succeeded). */
  entities: number;
  creates: number;
  updates: number;
  deletes: number;
  /** Updates sent, committed or not, without an ETag to match (`*`): they would overwrite another writer's change. */
  updatesWithoutIfMatch: number;
  /** Idempotency markers written: one per accepted command. */
  markers: number;
  /** Audit lines written: rows of their own or carried by a transfer row. */
  auditLines: number;
  /** Entities written by the kind of row (the row key up to its first `|`). */
  byKind: Record<string, number>;
}

const zero = (): EntityCounts => ({
  gets: 0,
  queries: 0,
  transactions: 0,
  failedTransactions: 0,
  transactionMs: 0,
  entities: 0,
  creates: 0,
  updates: 0,
  deletes: 0,
  updatesWithoutIfMatch: 0,
  markers: 0,
  auditLines: 0,
  byKind: {},
});

/** What `later` counted since `earlier` (two readings of the same table). */
export function countsSince(later: EntityCounts, earlier: EntityCounts): EntityCounts {
  const byKind: Record<string, number> = {};
  for (const [kind, n] of Object.entries(later.byKind)) if (n - (earlier.byKind[kind] ?? 0) > 0) byKind[kind] = n - (earlier.byKind[kind] ?? 0);
  const out: EntityCounts = { ...zero(), byKind };
  for (const key of Object.keys(out) as (keyof EntityCounts)[]) if (key !== 'byKind') out[key] = later[key] - earlier[key];
  return out;
}

/** Two spans' counts together (readings of the same table over spans that do not overlap). */
export function countsPlus(a: EntityCounts, b: EntityCounts): EntityCounts {
  const byKind: Record<string, number> = { ...a.byKind };
  for (const [kind, n] of Object.entries(b.byKind)) byKind[kind] = (byKind[kind] ?? 0) + n;
  const out: EntityCounts = { ...zero(), byKind };
  for (const key of Object.keys(out) as (keyof EntityCounts)[]) if (key !== 'byKind') out[key] = a[key] + b[key];
  return out;
}

/**
 * Wraps the table a store uses and counts, at the adapter, what the store asks of storage: reads, and the
 * entities each committed transaction writes (by action and by kind of row). Changes nothing it passes on.
 */
export class CountingTable implements EntityTable {
  private readonly counted = zero();

  constructor(private readonly inner: EntityTable) {}

  /** A copy of the counts so far. */
  counts(): EntityCounts {
    return { ...this.counted, byKind: { ...this.counted.byKind } };
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  get(partitionKey: string, rowKey: string): Promise<Row | undefined> {
    this.counted.gets++;
    return this.inner.get(partitionKey, rowKey);
  }

  query(partitionKey: string, query: RowQuery, page: { continuation?: string | undefined; limit: number }): Promise<RowPage> {
    this.counted.queries++;
    return this.inner.query(partitionKey, query, page);
  }

  async create(row: Row): Promise<void> {
    await this.inner.create(row);
    this.written({ kind: 'create', row });
  }

  async transact(partitionKey: string, actions: TableAction[]): Promise<Map<string, string>> {
    for (const action of actions) if (action.kind === 'update' && (!action.etag || action.etag === '*')) this.counted.updatesWithoutIfMatch++;
    let etags: Map<string, string>;
    const started = performance.now();
    try {
      etags = await this.inner.transact(partitionKey, actions);
    } catch (error) {
      this.counted.failedTransactions++;
      throw error;
    } finally {
      this.counted.transactionMs += performance.now() - started;
    }
    this.counted.transactions++;
    for (const action of actions) this.written(action);
    return etags;
  }

  private written(action: TableAction): void {
    const c = this.counted;
    c.entities++;
    if (action.kind === 'create') c.creates++;
    else if (action.kind === 'update') c.updates++;
    else c.deletes++;
    const kind = action.row.rowKey.split('|', 1)[0]!;
    c.byKind[kind] = (c.byKind[kind] ?? 0) + 1;
    if (action.kind === 'create' && kind === 'idem') c.markers++;
    if (action.kind === 'create' && isAuditLine(action.row)) c.auditLines++;
  }
}
