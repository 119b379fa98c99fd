import type { TransactionAction } from '@azure/data-tables';
import { TableClient } from '@azure/data-tables';
import type { EdmType, RawPartition, StoredRow, TypedValue } from '../../ports/backup-store.js';
import { EDM_TYPES } from '../../ports/backup-store.js';
import { escapeOData } from './row-keys.js';

/** Stands for a number in the service's JSON, with its text as sent (no entity property has this name). */
const NUMBER = '\u0000number';
/** The same name as JSON text (a raw control character is not allowed in a JSON string). */
const NUMBER_JSON = '\\u0000number';

/**
 * The service's JSON with every number replaced by `{"\u0000number":"<its text>"}`. Table Storage sends
 * Int32 and Double without a type annotation, and a whole Double as `3.0`: JSON.parse would make both a 3;
 * the text tells them apart.
 */
export function markNumbers(json: string): string {
  const numberAt = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote, over escapes.
      i++;
      while (i < json.length) {
        const d = json.charCodeAt(i);
        if (d === 0x5c) i += 2;
        else if (d === 0x22) {
          i++;
          break;
        } else i++;
      }
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      numberAt.lastIndex = i;
      const match = numberAt.exec(json);
      if (!match) throw new Error(`Unreadable number in the service's answer at ${i}.`);
      out += `${json.slice(copied, i)}{"${NUMBER_JSON}":"${match[0]}"}`;
      i += match[0].length;
      copied = i;
    } else i++;
  }
  return out + json.slice(copied);
}

const isNumberMark = (value: unknown): value is Record<typeof NUMBER, string> => typeof value === 'object' && value !== null && NUMBER in value;
const SYSTEM = new Set(['PartitionKey', 'RowKey', 'Timestamp']);

/** One entity of the service's JSON (numbers marked) as a stored row with every property's type. */
export function rowFromServiceJson(entity: Record<string, unknown>): StoredRow {
  const properties: Record<string, TypedValue> = {};
  for (const [name, raw] of Object.entries(entity)) {
    if (SYSTEM.has(name) || name.startsWith('odata.') || name.includes('@odata.')) continue;
    if (raw === null || raw === undefined) continue; // Table Storage stores no nulls.
    const annotation = entity[`${name}@odata.type`];
    const text = isNumberMark(raw) ? raw[NUMBER] : undefined;
    if (typeof annotation === 'string') {
      const type = annotation.replace(/^Edm\./, '') as EdmType;
      if (!EDM_TYPES.includes(type)) throw new Error(`Property ${name} has a type this backup does not know: ${annotation}.`);
      const value = text !== undefined ? (type === 'Int32' || type === 'Double' ? Number(text) : text) : (raw as string | boolean);
      properties[name] = { type, value };
    } else if (text !== undefined) {
      properties[name] = /[.eE]/.test(text) ? { type: 'Double', value: Number(text) } : { type: 'Int32', value: Number(text) };
    } else if (typeof raw === 'boolean') {
      properties[name] = { type: 'Boolean', value: raw };
    } else if (typeof raw === 'string') {
      properties[name] = { type: 'String', value: raw };
    } else {
      throw new Error(`Property ${name} of row ${String(entity.RowKey)} is not a Table Storage value.`);
    }
  }
  const timestamp = entity.Timestamp;
  return { partitionKey: String(entity.PartitionKey), rowKey: String(entity.RowKey), ...(typeof timestamp === 'string' ? { timestamp } : {}), properties };
}

/** A stored row as the data-tables client writes it: every property with its explicit EDM type. */
function entityOf(row: StoredRow): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  const entity: Record<string, unknown> & { partitionKey: string; rowKey: string } = { partitionKey: row.partitionKey, rowKey: row.rowKey };
  for (const [name, { type, value }] of Object.entries(row.properties)) {
    // The client sends `{ value, type }` as the value with a `name@odata.type` annotation.
    entity[name] = { value: type === 'Boolean' ? value : type === 'Int32' || type === 'Double' ? value : String(value), type };
  }
  return entity;
}

/**
 * The ledger's partition row by row, exactly as stored, for backups and restores. Reads the service's own
 * JSON (through the client's `onResponse`) rather than the client's converted entities, which cannot tell
 * an Int32 from a whole Double.
 */
export class TableRawPartition implements RawPartition {
  constructor(private readonly client: TableClient) {}

  static fromConnectionString(connectionString: string, tableName: string): TableRawPartition {
    const local = /UseDevelopmentStorage=true|127\.0\.0\.1|localhost/.test(connectionString);
    return new TableRawPartition(
      TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: local, retryOptions: { maxRetries: 4, retryDelayInMs: 200, maxRetryDelayInMs: 5_000 } }),
    );
  }

  get tableName(): string {
    return this.client.tableName;
  }

  async prepare(): Promise<void> {
    try {
      await this.client.createTable();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    }
  }

  async *pages(partitionKey: string, pageSize = 1000): AsyncIterable<StoredRow[]> {
    let body: string | undefined;
    const pages = this.client
      .listEntities({ queryOptions: { filter: `PartitionKey eq '${escapeOData(partitionKey)}'` }, onResponse: (response) => void (body = response.bodyAsText ?? undefined) })
      .byPage({ maxPageSize: Math.min(1000, pageSize) });
    for await (const page of pages) {
      if (body === undefined) throw new Error('Table Storage answered a page without a body.');
      const parsed = JSON.parse(markNumbers(body)) as { value?: Record<string, unknown>[] };
      const rows = (parsed.value ?? []).map(rowFromServiceJson);
      if (rows.length !== page.length) throw new Error(`Read ${rows.length} rows from a page of ${page.length}.`);
      body = undefined;
      if (rows.length > 0) yield rows;
    }
  }

  async isEmpty(partitionKey: string): Promise<boolean> {
    const first = await this.client
      .listEntities({ queryOptions: { filter: `PartitionKey eq '${escapeOData(partitionKey)}'`, select: ['RowKey'] } })
      .byPage({ maxPageSize: 1 })
      .next();
    return first.done === true || first.value.length === 0;
  }

  async insertBatch(rows: StoredRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (rows.length > 100) throw new Error('An entity-group transaction holds at most 100 rows.');
    const partitionKey = rows[0]!.partitionKey;
    if (rows.some((r) => r.partitionKey !== partitionKey)) throw new Error('An entity-group transaction holds rows of one partition only.');
    const actions: TransactionAction[] = rows.map((row) => ['create', entityOf(row)]);
    await this.client.submitTransaction(actions);
  }
}
