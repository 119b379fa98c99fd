import type { ImportKind } from '../../../src/core/usage-import/index.js';
import type { ImportRecord, ImportRecords, ImportSlot, MappingNames, StoredImport } from '../../ports/import-records.js';
import type { Fence } from '../../ports/ledger-store.js';
import type { Row } from './entities.js';
import type { EntityTable } from './entity-table.js';
import { RowConflictError } from './entity-table.js';
import { packJson, unpackJson } from './packed-json.js';

const importKey = (id: string) => `import|${id}`;
const linkKey = (person: string) => `importlink|${person.toLowerCase()}`;
const mappingKey = (kind: ImportKind, signature: string) => `importmapping|${kind}|${signature}`;
const SLOT_KEY = 'importslot';

const importRow = (tenant: string, record: ImportRecord): Row => ({ partitionKey: tenant, rowKey: importKey(record.id), state: record.state, ...packJson(record) });

/** Import records as rows of the tenant's partition: `import|{newest-first id}` and `importlink|{person}`. */
export class TableImportRecords implements ImportRecords {
  constructor(private readonly table: EntityTable) {}

  async create(tenant: string, record: ImportRecord): Promise<void> {
    await this.table.create(importRow(tenant, record));
  }

  async get(tenant: string, id: string): Promise<StoredImport | undefined> {
    const row = await this.table.get(tenant, importKey(id));
    return row ? { record: unpackJson<ImportRecord>(row), etag: String(row.etag) } : undefined;
  }

  async replace(tenant: string, record: ImportRecord, etag: string): Promise<string | undefined> {
    try {
      const etags = await this.table.transact(tenant, [{ kind: 'update', row: importRow(tenant, record), etag }]);
      return etags.get(importKey(record.id));
    } catch (error) {
      if (error instanceof RowConflictError) return undefined;
      throw error;
    }
  }

  async getSlot(tenant: string): Promise<{ slot: ImportSlot; etag: string } | undefined> {
    const row = await this.table.get(tenant, SLOT_KEY);
    return row ? { slot: { importId: String(row.importId) }, etag: String(row.etag) } : undefined;
  }

  slotFence(importId: string): Fence {
    return { rowKey: SLOT_KEY, field: 'importId', holder: importId };
  }

  async replaceWithSlot(tenant: string, record: ImportRecord, etag: string, slot: ImportSlot, slotEtag: string | null): Promise<{ etag: string; slotEtag: string } | undefined> {
    const slotRow: Row = { partitionKey: tenant, rowKey: SLOT_KEY, importId: slot.importId };
    try {
      const etags = await this.table.transact(tenant, [
        { kind: 'update', row: importRow(tenant, record), etag },
        slotEtag === null ? { kind: 'create', row: slotRow } : { kind: 'update', row: slotRow, etag: slotEtag },
      ]);
      const written = { etag: etags.get(importKey(record.id)), slotEtag: etags.get(SLOT_KEY) };
      if (!written.etag || !written.slotEtag) throw new Error('Table Storage answered the import and its slot without their ETags.');
      return { etag: written.etag, slotEtag: written.slotEtag };
    } catch (error) {
      if (error instanceof RowConflictError) return undefined;
      throw error;
    }
  }

  async list(tenant: string, page: { cursor?: string | undefined; limit?: number | undefined }): Promise<{ items: ImportRecord[]; nextCursor: string | null }> {
    const result = await this.table.query(tenant, { prefix: 'import|' }, { continuation: page.cursor, limit: page.limit ?? 20 });
    return { items: result.rows.map((row) => unpackJson<ImportRecord>(row)), nextCursor: result.continuation ?? null };
  }

  async committing(tenant: string): Promise<ImportRecord[]> {
    const found: ImportRecord[] = [];
    let continuation: string | undefined;
    do {
      const page = await this.table.query(tenant, { prefix: 'import|', where: { state: 'committing' } }, { continuation, limit: 100 });
      found.push(...page.rows.map((row) => unpackJson<ImportRecord>(row)));
      continuation = page.continuation;
    } while (continuation);
    return found;
  }

  async mappingFor(tenant: string, kind: ImportKind, signature: string): Promise<MappingNames | undefined> {
    const row = await this.table.get(tenant, mappingKey(kind, signature));
    return row ? unpackJson<MappingNames>(row) : undefined;
  }

  async rememberMapping(tenant: string, kind: ImportKind, signature: string, names: MappingNames): Promise<void> {
    const row: Row = { partitionKey: tenant, rowKey: mappingKey(kind, signature), ...packJson(names) };
    const existing = await this.table.get(tenant, row.rowKey);
    // A preference, as a link is: the last mapping chosen wins.
    await this.table.transact(tenant, [existing ? { kind: 'update', row, etag: String(existing.etag) } : { kind: 'create', row }]);
  }

  async rememberedSignatures(tenant: string, kind: ImportKind): Promise<Set<string>> {
    const prefix = mappingKey(kind, '');
    const found = new Set<string>();
    let continuation: string | undefined;
    do {
      const page = await this.table.query(tenant, { prefix }, { continuation, limit: 1000 });
      for (const row of page.rows) found.add(row.rowKey.slice(prefix.length));
      continuation = page.continuation;
    } while (continuation);
    return found;
  }

  async links(tenant: string): Promise<Map<string, string>> {
    const links = new Map<string, string>();
    let continuation: string | undefined;
    do {
      const page = await this.table.query(tenant, { prefix: 'importlink|' }, { continuation, limit: 1000 });
      for (const row of page.rows) links.set(row.rowKey.slice('importlink|'.length), String(row.memberId));
      continuation = page.continuation;
    } while (continuation);
    return links;
  }

  async remember(tenant: string, person: string, memberId: string): Promise<void> {
    const row: Row = { partitionKey: tenant, rowKey: linkKey(person), memberId };
    const existing = await this.table.get(tenant, row.rowKey);
    // A link is a preference, not a balance: the last one set wins.
    await this.table.transact(tenant, [existing ? { kind: 'update', row, etag: String(existing.etag) } : { kind: 'create', row }]);
  }
}
