import type { PullProblemCode } from '../../src/core/usage-pull/index.js';
import type { DayWindow, PullProgress, UsageSourceKind } from './usage-source.js';

/** What a pull left unposted: rows of people no member matches (linked on the import, they post with later pulls). */
export interface PullUnmatched {
  people: number;
  rows: number;
}

/** The last pull that posted its export, with what it posted. */
export interface PullSuccess {
  at: string;
  window: DayWindow;
  /** Null when Autodesk had no usage in the window (nothing to import). */
  importId: string | null;
  rowsPosted: number;
  alreadyImported: number;
  settled: number;
  unmatched: PullUnmatched;
}

/** A source's pulls: what was imported from it and the last problem. */
export interface SourcePullRecord {
  lastSuccess: PullSuccess | null;
  /** Days imported from the source, first to last: the next window starts from `to`. */
  covered: DayWindow | null;
  lastError: { code: PullProblemCode; message: string; at: string } | null;
  /**
   * The import a pull handed its export to, until it is known to be committed: a host that stops while
   * it posts leaves the import to the import runner, and the next look at the status finishes the record.
   */
  pending: { importId: string; window: DayWindow; trigger: PullTrigger; startedAt: string; unmatched: PullUnmatched } | null;
}

export type PullTrigger = 'schedule' | 'manual';
export type PullStage = 'starting' | PullProgress['stage'] | 'checking' | 'posting';

/** The pull running now: one per tenant, held by a lease that its process renews while it works. */
export interface PullRun {
  kind: UsageSourceKind;
  trigger: PullTrigger;
  owner: string;
  until: string;
  startedAt: string;
  stage: PullStage;
  window: DayWindow | null;
  polls: number;
}

export interface UsagePullState {
  sources: Partial<Record<UsageSourceKind, SourcePullRecord>>;
  run: PullRun | null;
}

/** The tenant's pull state, one record: a run is taken and a status written in one conditional write. */
export interface UsagePulls {
  get(tenant: string): Promise<{ state: UsagePullState; etag: string } | undefined>;
  /** Writes the state if nobody changed it since `etag` (null: there was none yet); the new ETag, or undefined when somebody did. */
  put(tenant: string, state: UsagePullState, etag: string | null): Promise<string | undefined>;
}
