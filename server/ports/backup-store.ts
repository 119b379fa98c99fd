import type { Readable } from 'node:stream';

/**
 * Backups (DESIGN 4.1: Table Storage has no point-in-time restore). Two ports: the tenant's partition read
 * and written row by row exactly as stored, and the place backups are kept (Blob Storage).
 */

/** The property types of Table Storage (EDM), without the `Edm.` prefix. */
export type EdmType = 'String' | 'Int32' | 'Int64' | 'Double' | 'Boolean' | 'DateTime' | 'Guid' | 'Binary';
export const EDM_TYPES: readonly EdmType[] = ['String', 'Int32', 'Int64', 'Double', 'Boolean', 'DateTime', 'Guid', 'Binary'];

/**
 * One property with its type. `value` is what the service sent: a number for Int32 and Double (a string for
 * Double's NaN and ±Infinity), a boolean for Boolean, a string for the rest (Int64 as decimal digits,
 * DateTime as the service's ISO text with its 7 fractional digits, Binary as base64).
 */
export interface TypedValue {
  type: EdmType;
  value: string | number | boolean;
}

/** A row exactly as stored. `timestamp` is the service's own (kept for reading, never restored). */
export interface StoredRow {
  partitionKey: string;
  rowKey: string;
  timestamp?: string | undefined;
  properties: Record<string, TypedValue>;
}

/** A tenant's partition, row by row, with every property's type. */
export interface RawPartition {
  /** Every row of the partition in row-key order, a page at a time (never the whole partition at once). */
  pages(partitionKey: string, pageSize?: number): AsyncIterable<StoredRow[]>;
  isEmpty(partitionKey: string): Promise<boolean>;
  /** Inserts up to 100 rows of one partition in one entity-group transaction (all or none; an existing row fails it). */
  insertBatch(rows: StoredRow[]): Promise<void>;
  /** Creates the table when it does not exist. */
  prepare(): Promise<void>;
}

/** What a finished backup carries beside its content. */
export interface BackupFacts {
  tenant: string;
  /** SHA-256 (hex) of the uncompressed JSON lines. */
  sha256: string;
  /** Rows in the backup (the header line not counted). */
  rows: number;
  /** When the export started (ISO). */
  startedAt: string;
}

export interface BackupInfo {
  /** The blob name: `{tenant}/{yyyy-mm-dd}T{hhmmss}Z.jsonl.gz`. */
  name: string;
  createdAt: Date;
  /** Compressed size in bytes. */
  size: number;
  /** Absent while the backup is being written, or when it was never finished. */
  facts?: BackupFacts | undefined;
}

export interface BackupStore {
  prepare(): Promise<void>;
  /** Streams `body` into `name`; nothing is visible under `name` unless the whole stream arrived. */
  upload(name: string, body: Readable): Promise<void>;
  /** Marks an uploaded backup finished, with its checksum and row count. */
  finish(name: string, facts: BackupFacts): Promise<void>;
  /** A tenant's backups, oldest first. */
  list(tenant: string): Promise<BackupInfo[]>;
  /** The compressed content, and the version read (a second read can insist on the same one). */
  download(name: string, version?: string): Promise<{ body: Readable; version: string; info: BackupInfo }>;
  delete(name: string): Promise<void>;
}
