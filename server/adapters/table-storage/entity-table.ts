import type { Row } from './entities.js';

export type TableAction = { kind: 'create'; row: Row } | { kind: 'update'; row: Row; etag: string } | { kind: 'delete'; row: Row };
/** (A delete is unconditional: the SDK's transaction tuple takes no ETag for it.) */

export interface RowPage {
  rows: Row[];
  continuation?: string | undefined;
}

export interface RowQuery {
  prefix: string;
  /** Only row keys after this one (a page that starts where another left off). */
  after?: string;
  /** Column equality filters, ANDed. */
  where?: Record<string, string>;
}

/**
 * A create that found the row, an update whose ETag no longer matches, or an update or delete of a row that
 * is gone (404): the caller re-reads and retries.
 */
export class RowConflictError extends Error {
  constructor(
    readonly status: 404 | 409 | 412,
    message: string,
  ) {
    super(message);
    this.name = 'RowConflictError';
  }
}

/**
 * The narrow slice of Table Storage the ledger uses. Writes of one partition go through `transact`, an
 * entity-group transaction: all of it or none.
 */
export interface EntityTable {
  ping(): Promise<void>;
  get(partitionKey: string, rowKey: string): Promise<Row | undefined>;
  query(partitionKey: string, query: RowQuery, page: { continuation?: string | undefined; limit: number }): Promise<RowPage>;
  create(row: Row): Promise<void>;
  /** Commits up to 100 actions atomically; returns the new ETag of every row written. */
  transact(partitionKey: string, actions: TableAction[]): Promise<Map<string, string>>;
}

export const MAX_TRANSACTION_ACTIONS = 100;
