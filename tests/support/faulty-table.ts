import type { Row } from '../../server/adapters/table-storage/entities.js';
import type { EntityTable, RowPage, RowQuery, TableAction } from '../../server/adapters/table-storage/entity-table.js';
import { RowConflictError } from '../../server/adapters/table-storage/entity-table.js';
import { StorageUnavailableError } from '../../server/ports/ledger-store.js';

export type Fault = 'fail-before' | 'fail-after' | 'conflict-412' | 'none';

/**
 * Wraps a real table and injects faults into transactions: storage that does not answer (nothing
 * written), storage that writes and then loses the answer (the caller cannot tell), and 412 races.
 */
export class FaultyTable implements EntityTable {
  readonly injected: Record<Fault, number> = { 'fail-before': 0, 'fail-after': 0, 'conflict-412': 0, none: 0 };

  constructor(
    private readonly inner: EntityTable,
    private readonly pick: () => Fault,
  ) {}

  ping() {
    return this.inner.ping();
  }
  get(partitionKey: string, rowKey: string): Promise<Row | undefined> {
    return this.inner.get(partitionKey, rowKey);
  }
  query(partitionKey: string, query: RowQuery, page: { continuation?: string | undefined; limit: number }): Promise<RowPage> {
    return this.inner.query(partitionKey, query, page);
  }
  create(row: Row): Promise<void> {
    return this.inner.create(row);
  }
  async transact(partitionKey: string, actions: TableAction[]): Promise<Map<string, string>> {
    const fault = this.pick();
    this.injected[fault]++;
    if (fault === 'fail-before') throw new StorageUnavailableError('injected: connection reset before the request');
    if (fault === 'conflict-412') throw new RowConflictError(412, 'injected: precondition failed');
    const etags = await this.inner.transact(partitionKey, actions);
    if (fault === 'fail-after') throw new StorageUnavailableError('injected: connection reset after the write');
    return etags;
  }
}
