import { MemoryImportFiles } from '../../server/adapters/memory/memory-import-files.js';
import { MemoryUsageSources } from '../../server/adapters/memory/memory-usage-sources.js';
import type { EntityTable } from '../../server/adapters/table-storage/entity-table.js';
import { TableImportRecords } from '../../server/adapters/table-storage/table-import-records.js';
import { TableUsagePulls } from '../../server/adapters/table-storage/table-usage-pulls.js';
import type { AppDeps } from '../../server/app/deps.js';
import { ImportRunner } from '../../server/app/imports/import-runner.js';
import type { PullSettings } from '../../server/app/usage-pull/pull-deps.js';
import { PullRunner } from '../../server/app/usage-pull/pull-runner.js';
import { DEFAULT_PULL_RULE, DEFAULT_PULL_SCHEDULE, parseSchedule } from '../../src/core/usage-pull/index.js';
import { newestFirstIds } from '../../server/ports/ids.js';

/** The daily schedule, read. */
const dailySchedule = () => {
  const parsed = parseSchedule(DEFAULT_PULL_SCHEDULE);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.schedule;
};

/**
 * The importer's ports over an in-memory table and in-memory files, for fast tests of the use cases; with
 * the pulls from Autodesk (no source connected unless a test connects one to `usageSources`).
 */
export function memoryImportDeps(base: AppDeps, table: EntityTable, pulls: Partial<PullSettings> = {}) {
  const deps = { ...base, importFiles: new MemoryImportFiles(), importRecords: new TableImportRecords(table), importIds: newestFirstIds() };
  const importJobs = new ImportRunner(deps, () => {});
  const pullDeps = {
    ...deps,
    importJobs,
    usageSources: new MemoryUsageSources(),
    usagePulls: new TableUsagePulls(table),
    pulls: { owner: importJobs.owner, rule: DEFAULT_PULL_RULE, schedule: dailySchedule(), ...pulls },
  };
  return { ...pullDeps, pullJobs: new PullRunner(pullDeps, () => {}) };
}
