import { MemoryImportFiles } from '../../server/adapters/memory/memory-import-files.js';
import type { EntityTable } from '../../server/adapters/table-storage/entity-table.js';
import { TableImportRecords } from '../../server/adapters/table-storage/table-import-records.js';
import type { AppDeps } from '../../server/app/deps.js';
import { ImportRunner } from '../../server/app/imports/import-runner.js';
import { newestFirstIds } from '../../server/ports/ids.js';

/** The importer's ports over an in-memory table and in-memory files, for fast tests of the use cases. */
export function memoryImportDeps(base: AppDeps, table: EntityTable) {
  const deps = { ...base, importFiles: new MemoryImportFiles(), importRecords: new TableImportRecords(table), importIds: newestFirstIds() };
  return { ...deps, importJobs: new ImportRunner(deps, () => {}) };
}
