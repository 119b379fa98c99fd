import type { UsagePullState, UsagePulls } from '../../ports/usage-pulls.js';
import type { EntityTable } from './entity-table.js';
import { RowConflictError } from './entity-table.js';
import { packJson, unpackJson } from './packed-json.js';

const PULL_KEY = 'usagepull';

/** The tenant's pull state as one row of its partition (`usagepull`). */
export class TableUsagePulls implements UsagePulls {
  constructor(private readonly table: EntityTable) {}

  async get(tenant: string): Promise<{ state: UsagePullState; etag: string } | undefined> {
    const row = await this.table.get(tenant, PULL_KEY);
    return row ? { state: unpackJson<UsagePullState>(row), etag: String(row.etag) } : undefined;
  }

  async put(tenant: string, state: UsagePullState, etag: string | null): Promise<string | undefined> {
    const row = { partitionKey: tenant, rowKey: PULL_KEY, ...packJson(state) };
    try {
      const etags = await this.table.transact(tenant, [etag === null ? { kind: 'create', row } : { kind: 'update', row, etag }]);
      return etags.get(PULL_KEY);
    } catch (error) {
      if (error instanceof RowConflictError) return undefined;
      throw error;
    }
  }
}
