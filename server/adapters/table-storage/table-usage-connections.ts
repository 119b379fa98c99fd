import type { ConsentStart, UsageConnectionRecords } from '../../ports/usage-connections.js';
import type { AutodeskConnection, UsageSourceKind } from '../../ports/usage-source.js';
import type { Row } from './entities.js';
import type { EntityTable } from './entity-table.js';
import { RowConflictError } from './entity-table.js';
import { packJson, unpackJson } from './packed-json.js';

const connectionKey = (kind: UsageSourceKind) => `usagesource|${kind}`;
const consentKey = (stateHash: string) => `apsconsent|${stateHash}`;

/**
 * Rows of the tenant's partition: `usagesource|{kind}` (the connection, without any secret: those are in
 * the SecretStore) and `apsconsent|{state hash}` (a consent under way; taken once, its verifier dropped).
 */
export class TableUsageConnections implements UsageConnectionRecords {
  constructor(private readonly table: EntityTable) {}

  async list(tenant: string): Promise<AutodeskConnection[]> {
    const page = await this.table.query(tenant, { prefix: 'usagesource|' }, { limit: 10 });
    return page.rows.map((row) => unpackJson<AutodeskConnection>(row));
  }

  async get(tenant: string, kind: UsageSourceKind): Promise<AutodeskConnection | undefined> {
    const row = await this.table.get(tenant, connectionKey(kind));
    return row ? unpackJson<AutodeskConnection>(row) : undefined;
  }

  async put(tenant: string, connection: AutodeskConnection): Promise<void> {
    const row: Row = { partitionKey: tenant, rowKey: connectionKey(connection.kind), ...packJson(connection) };
    const existing = await this.table.get(tenant, row.rowKey);
    if (!existing) return this.table.create(row);
    await this.table.transact(tenant, [{ kind: 'update', row, etag: String(existing.etag) }]);
  }

  async remove(tenant: string, kind: UsageSourceKind): Promise<void> {
    if (!(await this.table.get(tenant, connectionKey(kind)))) return;
    try {
      await this.table.transact(tenant, [{ kind: 'delete', row: { partitionKey: tenant, rowKey: connectionKey(kind) } }]);
    } catch (error) {
      if (!(error instanceof RowConflictError)) throw error;
    }
  }

  async startConsent(tenant: string, start: ConsentStart): Promise<void> {
    await this.table.create({ partitionKey: tenant, rowKey: consentKey(start.stateHash), taken: false, ...packJson(start) });
  }

  async takeConsent(tenant: string, stateHash: string): Promise<ConsentStart | undefined> {
    const row = await this.table.get(tenant, consentKey(stateHash));
    if (!row || row.taken === true) return undefined;
    const start = unpackJson<ConsentStart>(row);
    // Only the writer whose ETag still matches takes it: a replayed or raced callback finds it taken.
    const spent: Row = { partitionKey: tenant, rowKey: row.rowKey, taken: true, ...packJson({ ...start, codeVerifier: '' }) };
    try {
      await this.table.transact(tenant, [{ kind: 'update', row: spent, etag: String(row.etag) }]);
    } catch (error) {
      if (error instanceof RowConflictError) return undefined;
      throw error;
    }
    return start;
  }
}
