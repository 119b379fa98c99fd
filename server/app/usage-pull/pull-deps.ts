import type { PullRule, Schedule } from '../../../src/core/usage-pull/index.js';
import type { UsagePulls } from '../../ports/usage-pulls.js';
import type { UsageSources } from '../../ports/usage-source.js';
import type { ImportDeps, ImportJobs } from '../imports/import-deps.js';

/** What pulling usage from Autodesk needs: the importer, the tenant's connected sources and the pull state. */
export interface PullDeps extends ImportDeps {
  importJobs: ImportJobs;
  usageSources: UsageSources;
  usagePulls: UsagePulls;
  pulls: PullSettings;
}

export interface PullSettings {
  /** This process's name on the pull leases it takes. */
  owner: string;
  rule: PullRule;
  /** The timer's schedule, to say when it runs next; null when there is none. */
  schedule: Schedule | null;
}

/**
 * How long a pull may go without renewing its lease before another run takes over (its host stopped).
 * Renewed at each step, each of Autodesk's status answers and every LEASE/4 while it waits.
 */
export const PULL_LEASE_MS = 120_000;
