import type { Row } from '../table-storage/entities.js';
import type { EntityTable, RowPage, RowQuery, TableAction } from '../table-storage/entity-table.js';
import { RowConflictError } from '../table-storage/entity-table.js';

/**
 * An in-memory table with Table Storage's write semantics (create fails on an existing row, update
 * needs a matching ETag, a transaction is all or nothing), for fast unit tests of the use cases.
 * Integration tests use Azurite through the real adapter.
 */
export class MemoryTableAdapter implements EntityTable {
  private readonly partitions = new Map<string, Map<string, Row>>();
  private version = 0;

  private partition(key: string): Map<string, Row> {
    let p = this.partitions.get(key);
    if (!p) this.partitions.set(key, (p = new Map<string, Row>()));
    return p;
  }

  private stamp(row: Row): Row {
    return { ...structuredClone(row), etag: `W/"${++this.version}"` };
  }

  async ping(): Promise<void> {}

  async get(partitionKey: string, rowKey: string): Promise<Row | undefined> {
    const row = this.partition(partitionKey).get(rowKey);
    return row ? structuredClone(row) : undefined;
  }

  async query(partitionKey: string, query: RowQuery, page: { continuation?: string | undefined; limit: number }): Promise<RowPage> {
    const after = (k: string) => (query.after === undefined || k > query.after) && (!page.continuation || k > page.continuation);
    const keys = [...this.partition(partitionKey).keys()].filter((k) => k.startsWith(query.prefix) && after(k)).sort();
    const rows: Row[] = [];
    for (const key of keys) {
      const row = this.partition(partitionKey).get(key)!;
      if (Object.entries(query.where ?? {}).every(([column, value]) => row[column] === value)) rows.push(structuredClone(row));
      if (rows.length === page.limit) return { rows, continuation: key };
    }
    return { rows };
  }

  async create(row: Row): Promise<void> {
    const partition = this.partition(row.partitionKey);
    if (partition.has(row.rowKey)) throw new RowConflictError(409, `Row ${row.rowKey} already exists.`);
    partition.set(row.rowKey, this.stamp(row));
  }

  async transact(partitionKey: string, actions: TableAction[]): Promise<Map<string, string>> {
    const partition = this.partition(partitionKey);
    for (const action of actions) {
      const existing = partition.get(action.row.rowKey);
      if (action.kind === 'create' && existing) throw new RowConflictError(409, `Row ${action.row.rowKey} already exists.`);
      if (action.kind !== 'create' && !existing) throw new RowConflictError(404, `Row ${action.row.rowKey} does not exist.`);
      if (action.kind === 'update' && action.etag !== '*' && existing?.etag !== action.etag) throw new RowConflictError(412, `Row ${action.row.rowKey} changed.`);
    }
    const etags = new Map<string, string>();
    for (const action of actions) {
      if (action.kind === 'delete') {
        partition.delete(action.row.rowKey);
        continue;
      }
      const row = this.stamp(action.row);
      partition.set(row.rowKey, row);
      etags.set(row.rowKey, row.etag!);
    }
    return etags;
  }
}
