import type { IdGenerator } from '../../ports/ids.js';
import type { ImportFiles } from '../../ports/import-files.js';
import type { ImportRecords } from '../../ports/import-records.js';
import type { AppDeps } from '../deps.js';

/** The importer's ports, besides the ledger's. */
export interface ImportDeps extends AppDeps {
  importFiles: ImportFiles;
  importRecords: ImportRecords;
  importIds: IdGenerator;
}

/** Starts import jobs in the background (the runner of this process). */
export interface ImportJobs {
  /** The name this process puts on the leases it takes. */
  readonly owner: string;
  start(tenant: string, importId: string): Promise<void>;
}

/** How long a job may go without saving progress before another instance takes it over. */
export const LEASE_MS = 60_000;
