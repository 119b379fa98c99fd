import http from 'node:http';
import https from 'node:https';
import type { TableEntity, TableEntityResult, TransactionAction } from '@azure/data-tables';
import { TableClient } from '@azure/data-tables';
import type { Row } from './entities.js';
import type { EntityTable, RowPage, RowQuery, TableAction } from './entity-table.js';
import { RowConflictError } from './entity-table.js';
import { escapeOData, prefixFilter } from './row-keys.js';
import { InvalidCursorError, StorageUnavailableError } from '../../ports/ledger-store.js';

function statusOf(error: unknown): number | undefined {
  const status = typeof error === 'object' && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined;
  return typeof status === 'number' ? status : undefined;
}

/** Maps SDK errors: 409/412 become conflicts the store retries; no answer or 5xx means storage is unavailable. */
/**
 * Every call has a deadline: the SDK sets none, and one socket that hangs (no answer, no reset) would hold
 * a tenant's group commit, and with it every write of the tenant, for good. Past it: storage unavailable.
 */
const CALL_TIMEOUT_MS = 15_000;
const deadline = () => ({ abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) });

/**
 * The SDK's continuation token is base64 JSON of the service's next keys, themselves opaque (Azurite and the
 * service encode them). A token that is not of that shape would fail inside the SDK without a status and read
 * as an outage: refuse it as the caller's error. Another partition's keys need no check: every query filters
 * on this tenant's PartitionKey, so a continuation elsewhere still returns only this tenant's rows.
 */
function checkContinuation(token: string): void {
  const opaque = (value: unknown) => typeof value === 'string' && value.length <= 1024 && /^[\x21-\x7e]*$/.test(value);
  let keys: { nextPartitionKey?: unknown; nextRowKey?: unknown } | null;
  try {
    if (token.length > 4096 || !/^[A-Za-z0-9+/]+={0,2}$/.test(token)) throw new Error('not base64');
    keys = JSON.parse(Buffer.from(token, 'base64').toString('latin1')) as typeof keys;
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof keys !== 'object' || keys === null || !opaque(keys.nextPartitionKey) || (keys.nextRowKey !== undefined && !opaque(keys.nextRowKey))) {
    throw new InvalidCursorError();
  }
}

function translate(error: unknown): never {
  const status = statusOf(error);
  if (status === 404 || status === 409 || status === 412) throw new RowConflictError(status, (error as Error).message);
  if (status === undefined || status >= 500 || status === 408) {
    throw new StorageUnavailableError(`Table Storage did not answer: ${(error as Error).message}`, { cause: error });
  }
  throw error;
}

function toRow(entity: TableEntityResult<Record<string, unknown>>): Row {
  const { partitionKey, rowKey, etag, ...rest } = entity;
  return { ...rest, partitionKey: String(partitionKey), rowKey: String(rowKey), etag: String(etag) };
}

function toEntity(row: Row): TableEntity {
  const { etag: _etag, ...entity } = row;
  return entity;
}

/**
 * Connections a process keeps open to Table Storage at most; further calls wait for one (their deadline
 * runs meanwhile). Left to the SDK, every concurrent call opens a socket of its own: a burst of reads
 * under write load opened ~500 at once, more than the storage end's accept queue takes (511 on Azurite),
 * and the connections it dropped hung until their deadline. An Azure Functions instance may hold 600
 * outbound connections in all (Consumption plan), so one client must not take them all either.
 */
export const STORAGE_MAX_SOCKETS = 64;
/**
 * Of those, the point reads' own (GET /api/me, the committer's row reads), so that they never queue behind
 * scans and 100-row transactions, nor these behind a burst of point reads; the rest for scans and writes.
 */
export const POINT_READ_SOCKETS = 48;

/** Table Storage (Azure, or Azurite locally) through `@azure/data-tables`. */
export class AzureTableAdapter implements EntityTable {
  /** `client` for scans and writes, `pointReads` for point reads: the same table over two connection pools. */
  constructor(
    private readonly client: TableClient,
    private readonly pointReads: TableClient,
  ) {}

  static fromConnectionString(connectionString: string, tableName: string): AzureTableAdapter {
    const local = /UseDevelopmentStorage=true|127\.0\.0\.1|localhost/.test(connectionString);
    // The agent must speak the endpoint's protocol; the client parses the connection string without a call.
    const secure = TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: local }).url.startsWith('https:');
    const client = (maxSockets: number) => {
      const pool = { keepAlive: true, maxSockets };
      return TableClient.fromConnectionString(connectionString, tableName, {
        allowInsecureConnection: local,
        retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 1000 },
        agent: secure ? new https.Agent(pool) : new http.Agent(pool),
      });
    };
    return new AzureTableAdapter(client(STORAGE_MAX_SOCKETS - POINT_READ_SOCKETS), client(POINT_READ_SOCKETS));
  }

  async createTableIfMissing(): Promise<void> {
    try {
      await this.client.createTable(deadline());
    } catch (error) {
      if (statusOf(error) !== 409) translate(error);
    }
  }

  async ping(): Promise<void> {
    try {
      await this.client.getEntity('~health', '~health', deadline()).catch((error: unknown) => {
        if (statusOf(error) !== 404) throw error;
      });
    } catch (error) {
      translate(error);
    }
  }

  async get(partitionKey: string, rowKey: string): Promise<Row | undefined> {
    try {
      return toRow(await this.pointReads.getEntity<Record<string, unknown>>(partitionKey, rowKey, deadline()));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      translate(error);
    }
  }

  async query(partitionKey: string, query: RowQuery, page: { continuation?: string | undefined; limit: number }): Promise<RowPage> {
    if (page.continuation !== undefined) checkContinuation(page.continuation);
    let filter = `PartitionKey eq '${escapeOData(partitionKey)}' and ${prefixFilter(query.prefix)}`;
    if (query.after !== undefined) filter += ` and RowKey gt '${escapeOData(query.after)}'`;
    for (const [column, value] of Object.entries(query.where ?? {})) filter += ` and ${column} eq '${escapeOData(value)}'`;
    try {
      const iterator = this.client
        .listEntities<Record<string, unknown>>({ queryOptions: { filter }, ...deadline() })
        .byPage({ maxPageSize: page.limit, ...(page.continuation ? { continuationToken: page.continuation } : {}) });
      const result = await iterator.next();
      if (result.done) return { rows: [] };
      const rows = result.value.map(toRow);
      return { rows, continuation: result.value.continuationToken };
    } catch (error) {
      translate(error);
    }
  }

  async create(row: Row): Promise<void> {
    try {
      await this.client.createEntity(toEntity(row), deadline());
    } catch (error) {
      translate(error);
    }
  }

  async transact(_partitionKey: string, actions: TableAction[]): Promise<Map<string, string>> {
    const batch: TransactionAction[] = actions.map((a) =>
      a.kind === 'create'
        ? ['create', toEntity(a.row)]
        : a.kind === 'update'
          ? ['update', toEntity(a.row), 'Replace', { etag: a.etag }]
          : ['delete', { partitionKey: a.row.partitionKey, rowKey: a.row.rowKey }],
    );
    try {
      const response = await this.client.submitTransaction(batch, deadline());
      const etags = new Map<string, string>();
      // Sub-responses come back in the order of the actions.
      response.subResponses.forEach((sub, i) => {
        const action = actions[i];
        if (action && sub.etag) etags.set(action.row.rowKey, sub.etag.trim());
      });
      return etags;
    } catch (error) {
      translate(error);
    }
  }
}
