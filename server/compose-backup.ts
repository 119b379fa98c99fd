import { DEFAULT_POLICY } from '../src/core/policy/index.js';
import { BlobBackupStore } from './adapters/blob/blob-backup-store.js';
import { AzureTableAdapter } from './adapters/table-storage/azure-table.js';
import { TableRawPartition } from './adapters/table-storage/raw-partition.js';
import { TableLedgerStore } from './adapters/table-storage/table-ledger-store.js';
import type { ExportReport, RestoreReport } from './app/backup.js';
import { DEFAULT_RETENTION_DAYS, exportTenant, listBackups, restoreTenant } from './app/backup.js';
import type { BackupInfo } from './ports/backup-store.js';
import type { Clock } from './ports/clock.js';
import { systemClock } from './ports/clock.js';
import { newestFirstIds } from './ports/ids.js';

export interface BackupSettings {
  /** The storage account's connection string: the ledger's table and the `backups` container live in it. */
  storageConnectionString: string;
  tableName: string;
  containerName?: string | undefined;
  retentionDays?: number | undefined;
  clock?: Clock;
  log?: (line: string) => void;
}

/**
 * Wires backups and restores (server/app/backup.ts) to Table Storage and Blob Storage: the nightly timer, the
 * local host and the restore command all come through here, on the same connection string as the ledger.
 */
export function composeBackup(settings: BackupSettings) {
  const partition = TableRawPartition.fromConnectionString(settings.storageConnectionString, settings.tableName);
  const backups = BlobBackupStore.fromConnectionString(settings.storageConnectionString, settings.containerName ?? 'backups');
  const clock = settings.clock ?? systemClock;
  const log = settings.log;
  const deps = { partition, backups, clock, ...(log ? { log } : {}) };
  let prepared: Promise<void> | undefined;
  const prepare = () => (prepared ??= backups.prepare().catch((error: unknown) => {
    prepared = undefined;
    throw error;
  }));
  return {
    partition,
    backups,
    /** Exports the tenant's partition to `backups/{tenant}/…jsonl.gz`, then deletes what the retention allows. */
    async backup(tenant: string): Promise<ExportReport> {
      await prepare();
      return exportTenant(deps, tenant, { retentionDays: settings.retentionDays ?? DEFAULT_RETENTION_DAYS });
    },
    async list(tenant: string): Promise<BackupInfo[]> {
      await prepare();
      return listBackups(deps, tenant);
    },
    /** Rebuilds the tenant into this table (its partition must be empty) and checks the ledger's invariants. */
    async restore(tenant: string, backup: string): Promise<RestoreReport> {
      await prepare();
      const table = AzureTableAdapter.fromConnectionString(settings.storageConnectionString, settings.tableName);
      const store = new TableLedgerStore({ table, clock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
      return restoreTenant({ partition, backups, store, ...(log ? { log } : {}) }, tenant, backup);
    },
  };
}

export type BackupService = ReturnType<typeof composeBackup>;
