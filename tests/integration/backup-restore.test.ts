/**
 * Backup and restore (issue 8, DESIGN 4.1) on a real Azurite (table and blob services, in memory): the demo
 * ledger plus a row of every EDM type goes out to Blob Storage and back into a fresh table, identical row for
 * row and type for type; damaged backups and non-empty partitions are refused without writing; retention
 * keeps the newest; a large partition streams page by page.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { Readable, Transform } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import { BlobBackupStore } from '../../server/adapters/blob/blob-backup-store.js';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { TableRawPartition } from '../../server/adapters/table-storage/raw-partition.js';
import { TableLedgerStore } from '../../server/adapters/table-storage/table-ledger-store.js';
import { applyRetention, exportTenant, listBackups, restoreTenant } from '../../server/app/backup.js';
import { composeBackup } from '../../server/compose-backup.js';
import type { AzuriteHandle } from '../../server/local/azurite.js';
import { startAzurite } from '../../server/local/azurite.js';
import { DEMO_TENANT } from '../../server/local/demo-users.js';
import { main as restoreCli } from '../../server/local/restore.js';
import { seedDemoData } from '../../server/local/seed.js';
import type { BackupStore, RawPartition, StoredRow } from '../../server/ports/backup-store.js';
import { systemClock } from '../../server/ports/clock.js';
import { newestFirstIds } from '../../server/ports/ids.js';

const DAY = 86_400_000;
let azurite: AzuriteHandle;
let backups: BlobBackupStore;

const partitionOf = (table: string) => TableRawPartition.fromConnectionString(azurite.connectionString, table);
const storeOf = (table: string) =>
  new TableLedgerStore({ table: AzureTableAdapter.fromConnectionString(azurite.connectionString, table), clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
const clockAt = (time: number) => ({ now: () => new Date(time) });
const silent = () => {};

/** Every row of a partition without the service's own Timestamp (a restore cannot keep it). */
async function rowsOf(table: string, tenant: string): Promise<StoredRow[]> {
  const rows: StoredRow[] = [];
  for await (const page of partitionOf(table).pages(tenant)) rows.push(...page.map(({ timestamp: _t, ...row }) => row));
  return rows;
}

/** The same rows as the data-tables client sees them with its type conversion off (a second, independent reader). */
async function sdkRowsOf(table: string, tenant: string): Promise<Record<string, unknown>[]> {
  const client = TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
  const rows: Record<string, unknown>[] = [];
  for await (const entity of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${tenant}'` }, disableTypeConversion: true })) {
    const { etag: _e, timestamp: _t, ...rest } = entity as Record<string, unknown>;
    rows.push(rest);
  }
  return rows;
}

async function blobBytes(name: string): Promise<Buffer> {
  const { body } = await backups.download(name);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Replaces a backup's content, keeping its metadata (checksum and row count): what a damaged blob looks like. */
async function overwrite(name: string, bytes: Buffer): Promise<void> {
  const facts = (await backups.list(name.split('/')[0]!)).find((b) => b.name === name)!.facts!;
  await backups.upload(name, Readable.from([bytes]));
  await backups.finish(name, facts);
}

beforeAll(async () => {
  azurite = await startAzurite();
  backups = BlobBackupStore.fromConnectionString(azurite.connectionString);
  await backups.prepare();
  const source = AzureTableAdapter.fromConnectionString(azurite.connectionString, 'source');
  await source.createTableIfMissing();
  expect(await seedDemoData(source, new Date())).toBe(true);
  // A row of every EDM type, and values JSON and the service like to blur: a whole Double, a big Int64,
  // DateTime to the tick, Binary, a Guid, strings with quotes, newlines, digits and non-Latin text.
  const client = TableClient.fromConnectionString(azurite.connectionString, 'source', { allowInsecureConnection: true });
  await client.createEntity({
    partitionKey: DEMO_TENANT,
    rowKey: 'zz-types|all',
    wholeDouble: { value: '3', type: 'Double' },
    fraction: 97.25,
    negative: -42,
    bigDouble: 1e21,
    int64: { value: '9007199254740993', type: 'Int64' },
    when: { value: '2026-01-02T03:04:05.1234567Z', type: 'DateTime' },
    bytes: new Uint8Array([0, 1, 2, 250, 255]),
    guid: { value: '6f9619ff-8b86-d011-b42d-00c04fc964ff', type: 'Guid' },
    yes: true,
    no: false,
    text: 'He said "12.0"\nthen \\ left: Zoë, 東京, 🚀',
    digits: '00123',
    empty: '',
  });
}, 120_000);

afterAll(async () => {
  await azurite?.stop();
});

describe('backup and restore', () => {
  it('round-trips the seeded ledger: every row, property and type equal, and the invariant checker passes', async () => {
    const before = await rowsOf('source', DEMO_TENANT);
    expect(before.length).toBeGreaterThan(200);
    expect(checkInvariants(await storeOf('source').snapshot(DEMO_TENANT))).toEqual([]);

    const report = await exportTenant({ partition: partitionOf('source'), backups, clock: systemClock }, DEMO_TENANT);
    expect(report.name).toMatch(new RegExp(`^${DEMO_TENANT}/\\d{4}-\\d{2}-\\d{2}T\\d{6}Z\\.jsonl\\.gz$`));
    expect(report.rows).toBe(before.length);
    const listed = (await listBackups({ backups }, DEMO_TENANT)).find((b) => b.name === report.name)!;
    expect(listed.facts).toMatchObject({ tenant: DEMO_TENANT, rows: before.length, sha256: report.sha256 });

    // The content: gzipped JSON lines, a header then one line per row, hashing to the metadata's SHA-256.
    const content = gunzipSync(await blobBytes(report.name));
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(content).digest('hex')).toBe(report.sha256);
    const lines = content.toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(before.length + 1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'credit-desk-backup-v1', tenant: DEMO_TENANT });

    const restored = await restoreTenant({ partition: partitionOf('restored'), backups, store: storeOf('restored') }, DEMO_TENANT, 'latest');
    expect(restored).toMatchObject({ name: report.name, rows: before.length, violations: [] });
    expect(restored.transactions).toBe(Math.ceil(before.length / 100));

    const after = await rowsOf('restored', DEMO_TENANT);
    expect(after).toEqual(before);
    expect(await sdkRowsOf('restored', DEMO_TENANT)).toEqual(await sdkRowsOf('source', DEMO_TENANT));
    expect(checkInvariants(await storeOf('restored').snapshot(DEMO_TENANT))).toEqual([]);

    // The types the ledger itself writes, and the exotic ones, survive as they were.
    const types = Object.fromEntries(Object.entries(after.find((r) => r.rowKey === 'zz-types|all')!.properties).map(([k, v]) => [k, v.type]));
    expect(types).toEqual({
      wholeDouble: 'Double', fraction: 'Double', negative: 'Int32', bigDouble: 'Double', int64: 'Int64', when: 'DateTime',
      bytes: 'Binary', guid: 'Guid', yes: 'Boolean', no: 'Boolean', text: 'String', digits: 'String', empty: 'String',
    });
    const typed = after.find((r) => r.rowKey === 'zz-types|all')!.properties;
    expect(typed.wholeDouble!.value).toBe(3);
    expect(typed.int64!.value).toBe('9007199254740993');
    expect(typed.when!.value).toBe('2026-01-02T03:04:05.1234567Z');
    expect(typed.bytes!.value).toBe(Buffer.from([0, 1, 2, 250, 255]).toString('base64'));
    const kinds = new Set(after.map((r) => r.rowKey.split('|')[0]));
    for (const kind of ['acct', 'member', 'email', 'lot', 'purchase', 'xfer', 'mx', 'event', 'idem', 'settings']) expect(kinds, kind).toContain(kind);
  });

  it('leaves no backup behind when the walk through the table fails half-way', async () => {
    const tenant = 'failing-tenant';
    const partition = partitionOf('source');
    let served = 0;
    const failing: RawPartition = {
      prepare: () => partition.prepare(),
      isEmpty: (pk) => partition.isEmpty(pk),
      insertBatch: (rows) => partition.insertBatch(rows),
      async *pages() {
        for await (const page of partition.pages(DEMO_TENANT, 100)) {
          if (++served > 2) throw new Error('Table Storage did not answer');
          yield page.map((row) => ({ ...row, partitionKey: tenant }));
        }
      },
    };
    await expect(exportTenant({ partition: failing, backups, clock: systemClock }, tenant)).rejects.toThrow(/did not answer/);
    expect(await backups.list(tenant)).toEqual([]);
  });

  it('refuses a damaged backup before writing anything: a flipped byte, and content that no longer matches its checksum', async () => {
    const source = await exportTenant({ partition: partitionOf('source'), backups, clock: clockAt(Date.now() + 1_000) }, DEMO_TENANT);
    const deps = { partition: partitionOf('damaged'), backups, store: storeOf('damaged') };
    await deps.partition.prepare();

    // A flipped byte in the compressed stream.
    const bytes = await blobBytes(source.name);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x01;
    await overwrite(source.name, flipped);
    await expect(restoreTenant(deps, DEMO_TENANT, source.name)).rejects.toThrow(/damaged/);

    // Valid gzip, one digit of the content changed: only the SHA-256 can tell.
    const content = gunzipSync(bytes).toString('utf8');
    const at = content.indexOf('"balance":{"type":"');
    const digit = content.slice(at).search(/\d/) + at;
    const tampered = content.slice(0, digit) + String((Number(content[digit]) + 1) % 10) + content.slice(digit + 1);
    await overwrite(source.name, gzipSync(Buffer.from(tampered, 'utf8')));
    await expect(restoreTenant(deps, DEMO_TENANT, source.name)).rejects.toThrow(/Checksum mismatch/);

    // A row count that does not match is refused too.
    await backups.upload(source.name, Readable.from([bytes]));
    await backups.finish(source.name, { tenant: DEMO_TENANT, sha256: source.sha256, rows: source.rows - 1, startedAt: new Date().toISOString() });
    await expect(restoreTenant(deps, DEMO_TENANT, source.name)).rejects.toThrow(/holds \d+ rows, its metadata says/);

    expect(await rowsOf('damaged', DEMO_TENANT)).toEqual([]);
    // Put it right again: the later tests restore the latest backup.
    await backups.finish(source.name, { tenant: DEMO_TENANT, sha256: source.sha256, rows: source.rows, startedAt: new Date(Date.now() + 1_000).toISOString() });
    await expect(restoreTenant(deps, DEMO_TENANT, source.name)).resolves.toMatchObject({ rows: source.rows, violations: [] });
  });

  it('refuses a table whose tenant partition is not empty, and writes nothing', async () => {
    const before = await sdkRowsOf('source', DEMO_TENANT);
    await expect(restoreTenant({ partition: partitionOf('source'), backups, store: storeOf('source') }, DEMO_TENANT, 'latest')).rejects.toThrow(/already holds rows of tenant/);
    expect(await sdkRowsOf('source', DEMO_TENANT)).toEqual(before);

    // One stray row is enough to refuse; it stays the only row.
    const client = TableClient.fromConnectionString(azurite.connectionString, 'onerow', { allowInsecureConnection: true });
    await client.createTable();
    await client.createEntity({ partitionKey: DEMO_TENANT, rowKey: 'settings', data: '{}' });
    await expect(restoreTenant({ partition: partitionOf('onerow'), backups, store: storeOf('onerow') }, DEMO_TENANT, 'latest')).rejects.toThrow(/empty partition/);
    expect(await rowsOf('onerow', DEMO_TENANT)).toHaveLength(1);
  });

  it('keeps the configured number of days, never the newest, and deletes unfinished uploads by age', async () => {
    const tenant = 'retention-tenant';
    const now = Date.now();
    const partition = partitionOf('retention');
    await partition.prepare();
    await partition.insertBatch([{ partitionKey: tenant, rowKey: 'settings', properties: { data: { type: 'String', value: '{}' } } }]);
    const at = (daysAgo: number) => exportTenant({ partition, backups, clock: clockAt(now - daysAgo * DAY) }, tenant, { retentionDays: 1000 });
    const old = [await at(40), await at(35), await at(10)];
    // An export that died after its upload: a blob without checksum, 50 days old by its name.
    const unfinished = `${tenant}/${new Date(now - 50 * DAY).toISOString().slice(0, 10)}T000000Z.jsonl.gz`;
    await backups.upload(unfinished, Readable.from([gzipSync('{}\n')]));

    const latest = await exportTenant({ partition, backups, clock: clockAt(now) }, tenant, { retentionDays: 30 });
    expect(latest.deleted.sort()).toEqual([old[0]!.name, old[1]!.name, unfinished].sort());
    expect((await listBackups({ backups }, tenant)).map((b) => b.name)).toEqual([old[2]!.name, latest.name]);

    // Long after: everything is past the retention, but the newest stays.
    const later = { partition, backups, clock: clockAt(now + 400 * DAY) };
    expect(await applyRetention(later, tenant, 30)).toEqual([old[2]!.name]);
    expect((await listBackups({ backups }, tenant)).map((b) => b.name)).toEqual([latest.name]);
    await expect(applyRetention(later, tenant, 0)).rejects.toThrow(/at least 1 day/);
  });

  it('streams a large partition: pages of bounded size, the upload starting before the walk ends', async () => {
    const tenant = 'big-tenant';
    const raw = partitionOf('big');
    await raw.prepare();
    for (let b = 0; b < 50; b++) {
      await raw.insertBatch(
        Array.from({ length: 100 }, (_, i) => ({
          partitionKey: tenant,
          rowKey: `bulk|${String(b * 100 + i).padStart(6, '0')}`,
          properties: { data: { type: 'String' as const, value: randomBytes(200).toString('hex') }, amount: { type: 'Double' as const, value: (b * 100 + i) / 4 } },
        })),
      );
    }

    let pagesRead = 0;
    let largestPage = 0;
    let pagesReadAtFirstUpload: number | undefined;
    const counting: RawPartition = {
      ...raw,
      prepare: () => raw.prepare(),
      isEmpty: (pk) => raw.isEmpty(pk),
      insertBatch: (rows) => raw.insertBatch(rows),
      async *pages(pk, size) {
        for await (const page of raw.pages(pk, size)) {
          pagesRead++;
          largestPage = Math.max(largestPage, page.length);
          yield page;
        }
      },
    };
    const watching: BackupStore = {
      prepare: () => backups.prepare(),
      finish: (name, facts) => backups.finish(name, facts),
      list: (t) => backups.list(t),
      download: (name, version) => backups.download(name, version),
      delete: (name) => backups.delete(name),
      upload: (name, body) => {
        const watched = new Transform({
          transform(chunk, _encoding, done) {
            pagesReadAtFirstUpload ??= pagesRead;
            done(null, chunk);
          },
        });
        body.once('error', (error) => watched.destroy(error));
        return backups.upload(name, body.pipe(watched));
      },
    };
    const heapBefore = process.memoryUsage().heapUsed;
    const report = await exportTenant({ partition: counting, backups: watching, clock: systemClock }, tenant, { pageSize: 250 });
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(report.rows).toBe(5000);
    expect(largestPage).toBeLessThanOrEqual(250);
    expect(pagesRead).toBe(20);
    expect(pagesReadAtFirstUpload).toBeLessThan(pagesRead);
    // The partition is about 2.5 MB of JSON (barely compressible); the export must not have held it (generous: GC timing varies).
    expect(heapGrowth).toBeLessThan(64 * 1024 * 1024);

    const restored = await restoreTenant({ partition: partitionOf('bigcopy'), backups, store: storeOf('bigcopy') }, tenant, report.name);
    expect(restored.rows).toBe(5000);
    expect(restored.transactions).toBe(50);
    expect(await rowsOf('bigcopy', tenant)).toEqual(await rowsOf('big', tenant));
  });

  it('the restore command lists, refuses with a clear message and a non-zero exit, and restores', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = (...a: unknown[]) => void out.push(a.join(' '));
    console.error = (...a: unknown[]) => void err.push(a.join(' '));
    const env = { CREDIT_DESK_STORAGE: azurite.connectionString };
    try {
      expect(await restoreCli(['--tenant', DEMO_TENANT, '--list'], env)).toBe(0);
      expect(out.join('\n')).toMatch(new RegExp(`${DEMO_TENANT}/\\S+\\.jsonl\\.gz\\s+\\d+ bytes\\s+\\d+ rows\\s+sha256 [0-9a-f]{64}`));
      expect(await restoreCli(['--tenant', DEMO_TENANT], env)).toBe(2);
      expect(await restoreCli(['--tenant', DEMO_TENANT, '--backup', 'latest', '--table', 'source'], env)).toBe(1);
      expect(err.join('\n')).toMatch(/Refused: The table already holds rows of tenant/);
      expect(await restoreCli(['--tenant', DEMO_TENANT, '--backup', 'nope.jsonl.gz', '--table', 'cli'], env)).toBe(1);
      out.length = 0;
      expect(await restoreCli(['--tenant', DEMO_TENANT, '--backup', 'latest', '--table', 'cli'], env)).toBe(0);
      expect(out.join('\n')).toMatch(/Restored \d+ rows[\s\S]*Ledger invariants: ok\./);
      expect(err.join('\n')).toMatch(/Checksum and row count match/);
    } finally {
      console.log = log;
      console.error = error;
    }
    expect(await rowsOf('cli', DEMO_TENANT)).toEqual(await rowsOf('source', DEMO_TENANT));
  });

  it('composes on one connection string, as the timer does', async () => {
    const service = composeBackup({ storageConnectionString: azurite.connectionString, tableName: 'source', containerName: 'backups-composed', retentionDays: 30, log: silent });
    const report = await service.backup(DEMO_TENANT);
    expect((await service.list(DEMO_TENANT)).map((b) => b.name)).toEqual([report.name]);
  });
});
