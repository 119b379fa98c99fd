import { createHash } from 'node:crypto';
import { Readable, Transform, pipeline } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { Violation } from '../../src/core/ledger/index.js';
import { checkInvariants } from '../../src/core/ledger/index.js';
import type { BackupFacts, BackupInfo, BackupStore, EdmType, RawPartition, StoredRow } from '../ports/backup-store.js';
import { EDM_TYPES } from '../ports/backup-store.js';
import type { Clock } from '../ports/clock.js';
import type { LedgerStore } from '../ports/ledger-store.js';

/**
 * Nightly backups of a tenant's partition to Blob Storage, and the restore (DESIGN 4.1: Table Storage has no
 * point-in-time restore).
 *
 * A backup is gzipped JSON lines: a header line, then one line per row with every property and its EDM type,
 * so a restore writes each row exactly as it was. The blob's metadata carries the SHA-256 of the uncompressed
 * lines and the row count; a restore checks both before it writes anything.
 *
 * Consistency: Table Storage has no snapshot. The export is a walk through the partition in row-key order:
 * a row written while it runs may or may not be in it. Every posting commits in one entity-group transaction,
 * but the walk can see part of a posting's rows before and part after; restoring such a backup can therefore
 * show a posting half there, which is why the restore runs the ledger's invariant checker and says so. The
 * nightly run is at 03:15 UTC, when nobody posts.
 */

export const BACKUP_FORMAT = 'credit-desk-backup-v1';
export const DEFAULT_RETENTION_DAYS = 30;
const DAY = 86_400_000;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  tenant: string;
  startedAt: string;
}

export interface BackupDeps {
  partition: RawPartition;
  backups: BackupStore;
  clock: Clock;
  log?: (line: string) => void;
}

/** A tenant id is a blob folder: only the characters of an Entra tenant id (a GUID) or a test tenant. */
export function assertTenantId(tenant: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(tenant)) throw new Error(`Not a tenant id: ${JSON.stringify(tenant)}.`);
}

/** `{tenant}/{yyyy-mm-dd}T{hhmmss}Z.jsonl.gz`, from the export's start. */
export function backupName(tenant: string, at: Date): string {
  const iso = at.toISOString();
  return `${tenant}/${iso.slice(0, 10)}T${iso.slice(11, 19).replaceAll(':', '')}Z.jsonl.gz`;
}

export interface ExportReport {
  name: string;
  rows: number;
  sha256: string;
  bytes: number;
  deleted: string[];
}

/** Exports the tenant's partition, page by page through gzip into the upload, then applies the retention. */
export async function exportTenant(deps: BackupDeps, tenant: string, options: { retentionDays?: number; pageSize?: number } = {}): Promise<ExportReport> {
  assertTenantId(tenant);
  const started = deps.clock.now();
  let name = backupName(tenant, started);
  const existing = await deps.backups.list(tenant);
  // Two exports in the same second (a manual one after the nightly run): the second gets a suffix.
  for (let n = 2; existing.some((b) => b.name === name); n++) name = backupName(tenant, started).replace(/\.jsonl\.gz$/, `-${n}.jsonl.gz`);

  const hash = createHash('sha256');
  let rows = 0;
  const header: BackupHeader = { format: BACKUP_FORMAT, tenant, startedAt: started.toISOString() };
  async function* lines(): AsyncGenerator<Buffer> {
    const emit = (value: unknown) => {
      const line = Buffer.from(`${JSON.stringify(value)}\n`, 'utf8');
      hash.update(line);
      return line;
    };
    yield emit(header);
    for await (const page of deps.partition.pages(tenant, options.pageSize)) {
      // One chunk per page: the upload pulls the next page only when it has room (backpressure).
      const chunk = Buffer.concat(page.map((row) => emit(row)));
      rows += page.length;
      yield chunk;
    }
  }
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  // A failed read of the table fails the upload (which then commits nothing); a failed upload stops the walk.
  let walkError: Error | undefined;
  pipeline(Readable.from(lines(), { objectMode: false }), createGzip({ level: 6 }), counted, (error) => {
    if (error) walkError = error;
  });
  try {
    await deps.backups.upload(name, counted);
  } catch (error) {
    counted.destroy();
    throw walkError ?? error;
  }
  if (walkError) throw walkError;
  const facts: BackupFacts = { tenant, sha256: hash.digest('hex'), rows, startedAt: header.startedAt };
  await deps.backups.finish(name, facts);
  deps.log?.(`Backed up ${rows} rows of ${tenant} to ${name} (${bytes} bytes gzipped, sha256 ${facts.sha256}).`);
  const deleted = await applyRetention(deps, tenant, options.retentionDays ?? DEFAULT_RETENTION_DAYS);
  return { name, rows, sha256: facts.sha256, bytes, deleted };
}

/** When a backup was taken: its export's start (metadata, else its name), else when its blob was made. */
export function takenAt(backup: BackupInfo): number {
  const started = Date.parse(backup.facts?.startedAt ?? '');
  if (Number.isFinite(started)) return started;
  const named = /(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z[^/]*$/.exec(backup.name);
  const fromName = named ? Date.parse(`${named[1]}T${named[2]}:${named[3]}:${named[4]}Z`) : NaN;
  return Number.isFinite(fromName) ? fromName : backup.createdAt.getTime();
}

/**
 * Deletes the tenant's backups older than `days`, after a successful export. The newest finished backup is
 * never deleted, however old; unfinished ones (an export that failed after its upload) go by age like the rest.
 */
export async function applyRetention(deps: BackupDeps, tenant: string, days: number): Promise<string[]> {
  if (!Number.isFinite(days) || days < 1) throw new Error(`The backup retention must be at least 1 day (got ${days}).`);
  const all = oldestFirst(await deps.backups.list(tenant));
  const newest = [...all].reverse().find((b) => b.facts);
  const cutoff = deps.clock.now().getTime() - days * DAY;
  const old = all.filter((b) => b !== newest && takenAt(b) < cutoff);
  for (const backup of old) await deps.backups.delete(backup.name);
  if (old.length > 0) deps.log?.(`Deleted ${old.length} backup(s) of ${tenant} older than ${days} days.`);
  return old.map((b) => b.name);
}

/** A tenant's backups, oldest first. */
export async function listBackups(deps: Pick<BackupDeps, 'backups'>, tenant: string): Promise<BackupInfo[]> {
  assertTenantId(tenant);
  return oldestFirst(await deps.backups.list(tenant));
}

const oldestFirst = (backups: BackupInfo[]) => [...backups].sort((a, b) => takenAt(a) - takenAt(b) || a.name.localeCompare(b.name));

export class RestoreError extends Error {
  override name = 'RestoreError';
}

/** The backup's lines, each checked, as they come out of gunzip; the checksum and count are checked at the end. */
async function* readBackup(body: Readable, tenant: string, facts: BackupFacts): AsyncGenerator<StoredRow> {
  const hash = createHash('sha256');
  const gunzip = createGunzip();
  body.once('error', (error) => gunzip.destroy(error));
  body.pipe(gunzip);
  let pending = '';
  let lineNo = 0;
  let rows = 0;
  let sawHeader = false;
  // A line that does not parse is reported after the checksum: a damaged backup says so, whatever it broke.
  let unreadable: RestoreError | undefined;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parse = (line: string): StoredRow | undefined => {
    lineNo++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new RestoreError(`Line ${lineNo} of the backup is not JSON.`);
    }
    if (!sawHeader) {
      const header = value as Partial<BackupHeader>;
      if (header.format !== BACKUP_FORMAT) throw new RestoreError(`The backup's first line is not a ${BACKUP_FORMAT} header.`);
      if (header.tenant !== tenant) throw new RestoreError(`The backup is of tenant ${String(header.tenant)}, not ${tenant}.`);
      sawHeader = true;
      return undefined;
    }
    return checkRow(value, tenant, lineNo);
  };
  try {
    for await (const chunk of gunzip) {
      hash.update(chunk as Buffer);
      pending += decoder.decode(chunk as Buffer, { stream: true });
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (unreadable) continue;
        let row: StoredRow | undefined;
        try {
          row = parse(line);
        } catch (error) {
          if (!(error instanceof RestoreError)) throw error;
          unreadable = error;
          continue;
        }
        if (row) {
          rows++;
          yield row;
        }
      }
    }
    pending += decoder.decode();
  } catch (error) {
    if (error instanceof RestoreError) throw error;
    throw new RestoreError(`The backup could not be read (${(error as Error).message}): it is damaged.`, { cause: error });
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== facts.sha256) throw new RestoreError(`Checksum mismatch: the backup's content hashes to ${sha256}, its metadata says ${facts.sha256}. It is damaged; use another one.`);
  if (unreadable) throw unreadable;
  if (pending !== '') throw new RestoreError('The backup ends in the middle of a line: it is cut short.');
  if (rows !== facts.rows) throw new RestoreError(`The backup holds ${rows} rows, its metadata says ${facts.rows}.`);
}

function checkRow(value: unknown, tenant: string, lineNo: number): StoredRow {
  const row = value as Partial<StoredRow>;
  if (typeof row !== 'object' || row === null || typeof row.rowKey !== 'string' || typeof row.properties !== 'object' || row.properties === null) {
    throw new RestoreError(`Line ${lineNo} of the backup is not a row.`);
  }
  if (row.partitionKey !== tenant) throw new RestoreError(`Line ${lineNo} of the backup belongs to partition ${String(row.partitionKey)}, not ${tenant}.`);
  for (const [name, typed] of Object.entries(row.properties)) {
    const type = (typed as { type?: unknown } | null)?.type;
    const kind = typeof (typed as { value?: unknown } | null)?.value;
    if (!EDM_TYPES.includes(type as EdmType) || !['string', 'number', 'boolean'].includes(kind)) throw new RestoreError(`Line ${lineNo}: property ${name} has no valid type and value.`);
  }
  return row as StoredRow;
}

export interface RestoreReport {
  name: string;
  rows: number;
  transactions: number;
  violations: Violation[];
}

/** Which backup `backup` names: a blob name, a file name in the tenant's folder, or `latest` (the newest finished one). */
export async function resolveBackup(deps: Pick<BackupDeps, 'backups'>, tenant: string, backup: string): Promise<BackupInfo> {
  const all = await listBackups(deps, tenant);
  const found = backup === 'latest' ? [...all].reverse().find((b) => b.facts) : all.find((b) => b.name === backup || b.name === `${tenant}/${backup}`);
  if (!found) throw new RestoreError(backup === 'latest' ? `Tenant ${tenant} has no finished backup.` : `No backup ${backup} for tenant ${tenant} (list them with --list).`);
  if (!found.facts) throw new RestoreError(`Backup ${found.name} was never finished (no checksum in its metadata): use another one.`);
  return found;
}

/**
 * Rebuilds a tenant from a backup into a table where the tenant's partition is empty:
 * 1. reads the whole backup once and checks every line, the checksum and the row count, writing nothing;
 * 2. refuses when the tenant's partition already has a row;
 * 3. reads it again (the same blob version) and inserts the rows in entity-group transactions of up to 100;
 * 4. runs the ledger's invariant checker over the result.
 */
export async function restoreTenant(
  deps: { partition: RawPartition; backups: BackupStore; store: LedgerStore; log?: (line: string) => void },
  tenant: string,
  backup: string,
  options: { batchSize?: number } = {},
): Promise<RestoreReport> {
  const log = deps.log ?? (() => {});
  const info = await resolveBackup(deps, tenant, backup);
  const facts = info.facts!;
  log(`Checking ${info.name}: ${facts.rows} rows, sha256 ${facts.sha256}…`);
  const first = await deps.backups.download(info.name);
  let counted = 0;
  for await (const _row of readBackup(first.body, tenant, facts)) counted++;
  log(`Checksum and row count match (${counted} rows).`);

  await deps.partition.prepare();
  if (!(await deps.partition.isEmpty(tenant))) {
    throw new RestoreError(`The table already holds rows of tenant ${tenant}: a restore writes only into an empty partition. Restore into a new table (--table), or delete the tenant's rows first.`);
  }

  const batchSize = Math.min(100, Math.max(1, options.batchSize ?? 100));
  const second = await deps.backups.download(info.name, first.version);
  let batch: StoredRow[] = [];
  let written = 0;
  let transactions = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await deps.partition.insertBatch(batch);
    written += batch.length;
    transactions++;
    batch = [];
    if (transactions % 20 === 0) log(`Restored ${written} of ${facts.rows} rows…`);
  };
  try {
    for await (const row of readBackup(second.body, tenant, facts)) {
      batch.push(row);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new RestoreError(`The restore stopped after ${written} of ${facts.rows} rows: ${detail} The partition is partly written: delete its rows (or the table) before trying again.`, { cause: error });
  }
  log(`Restored ${written} rows in ${transactions} transactions. Checking the ledger's invariants…`);
  const violations = checkInvariants(await deps.store.snapshot(tenant));
  return { name: info.name, rows: written, transactions, violations };
}
